/**
 * The Trino functions the KPI SQL uses that DuckDB lacks or names differently, as DuckDB
 * macros with Trino's semantics for the arguments the KPI SQL passes. They are TEMP macros,
 * created on every connection the engine opens, so they shadow DuckDB's own `element_at` and
 * `date_add` on that connection only. Functions both engines share with the same meaning
 * (date_diff('day', date, date), count(DISTINCT), coalesce, CAST, min/max/sum/avg) need none.
 */
export const TRINO_MACROS: readonly string[] = [
  // Trino: from_unixtime(unixtime, zone) is the instant as a timestamp with time zone in `zone`,
  // and the KPI SQL only casts it to date: the calendar day in `zone`. A DuckDB TIMESTAMPTZ
  // would cast in the session zone (UTC), so this returns the wall-clock time in `zone`, a
  // TIMESTAMP whose date is that same day.
  'CREATE OR REPLACE TEMP MACRO from_unixtime(unixtime, zone) AS timezone(zone, to_timestamp(unixtime))',
  // Trino: element_at(map, key) is the value, or NULL when the key is missing.
  // (DuckDB's own element_at returns a list.)
  'CREATE OR REPLACE TEMP MACRO element_at(m, key) AS map_extract_value(m, key)',
  // Trino: sequence(start, stop) is the array start, start + 1, ..., stop. The KPI SQL always
  // has start <= stop (Trino would count down otherwise, generate_series would be empty).
  'CREATE OR REPLACE TEMP MACRO sequence(start, stop) AS generate_series(start, stop)',
  // Trino: date_add(unit, value, date) adds `value` units. The KPI SQL adds days only.
  "CREATE OR REPLACE TEMP MACRO date_add(unit, value, d) AS CASE WHEN unit = 'day' THEN d + CAST(value AS INTEGER) ELSE error('date_add: only the day unit is supported locally') END",
  // Trino: regexp_like(string, pattern) is true when the pattern matches a part of the string.
  'CREATE OR REPLACE TEMP MACRO regexp_like(s, pattern) AS regexp_matches(s, pattern)',
  // Trino's bitwise functions on bigint, which the KPI SQL uses on day bitmaps of bits 0 to 62
  // (never the sign bit, so DuckDB's arithmetic right shift is Trino's logical one).
  'CREATE OR REPLACE TEMP MACRO bitwise_and(x, y) AS x & y',
  'CREATE OR REPLACE TEMP MACRO bitwise_left_shift(v, s) AS v << s',
  'CREATE OR REPLACE TEMP MACRO bitwise_right_shift(v, s) AS v >> s',
  // Trino: bitwise_or_agg(x) is the bitwise OR of every x of the group (an aggregate).
  'CREATE OR REPLACE TEMP MACRO bitwise_or_agg(x) AS bit_or(x)',
];
