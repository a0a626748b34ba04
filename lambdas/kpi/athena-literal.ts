import type { SqlParam } from '../core/query-engine';

/**
 * Renders a bound value as Athena expects it in `ExecutionParameters`. Athena puts each entry
 * in place of its `?` as SQL literal text (the CLI example passes "1" for a number), so a
 * string must arrive as a quoted literal with its quotes doubled (`it's` -> `'it''s'`) and a
 * number as a plain numeral. Trino string literals know no other escape (a backslash is an
 * ordinary character), so this quoting is complete; the API validates every value before it
 * gets here anyway.
 */
export function athenaLiteral(value: SqlParam): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot bind ${value} as a SQL number`);
    return String(value);
  }
  return `'${value.replaceAll("'", "''")}'`;
}
