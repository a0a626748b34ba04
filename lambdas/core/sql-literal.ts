import type { SqlParam } from './query-engine';

/**
 * The one SQL escaping path of the project. A string becomes a literal in single quotes with its
 * quotes doubled (`it's` -> `'it''s'`): Trino (Athena) and DuckDB string literals know no other
 * escape (a backslash is an ordinary character), so this quoting is complete. Used for values the
 * code renders into SQL text: file paths of the local lake, and the values Athena receives in
 * place of `?` placeholders. Caller input is validated before it gets here.
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
