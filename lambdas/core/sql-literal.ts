import type { SqlParam } from './query-engine';

/**
 * The one SQL escaping path of the project. A string becomes a literal in single quotes with its
 * quotes doubled (`it's` -> `'it''s'`): Trino (Athena) and DuckDB string literals know no other
 * escape (a backslash is an ordinary character), so this quoting is complete. Used for values the
 * code renders into SQL text: file paths of the local lake, the values of a KPI query sent to
 * Athena (Athena allows `?` parameters only in WHERE clauses, so its text carries literals), and
 * the examples in the named queries. Caller input is validated before it gets here.
 */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A bound value as SQL literal text: a quoted string, or a plain numeral for a finite number. */
export function sqlLiteral(value: SqlParam): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot render ${value} as a SQL number`);
    return String(value);
  }
  return sqlString(value);
}

/**
 * The SQL text with each `?` placeholder replaced by its value as a literal, in order. Every `?`
 * of a KPI text is a placeholder: the `sql` tag (`lambdas/kpi/sql/sql-text.ts`) writes no other,
 * and its constants are written without one.
 */
export function inlineParameters(sql: string, params: readonly SqlParam[]): string {
  const parts = sql.split('?');
  if (parts.length - 1 !== params.length) {
    throw new RangeError(`The SQL has ${parts.length - 1} placeholders for ${params.length} values`);
  }
  return parts
    .map((part, i) => (i === 0 ? part : `${sqlLiteral(params[i - 1] as SqlParam)}${part}`))
    .join('');
}
