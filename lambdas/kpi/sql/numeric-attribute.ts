import { type SqlText, sql } from './sql-text';

/**
 * The text of an attribute value that counts as a number: a plain decimal such as 12, -3.5 or
 * 1.2e3 (at most 30 digits on each side of the point, a two-digit exponent, so every such
 * value is a finite double in both engines). Anything else is ignored. Written with {0,1}
 * rather than `?`, so that every `?` in KPI SQL is a parameter placeholder.
 */
const NUMERIC_ATTRIBUTE_PATTERN = '^-{0,1}[0-9]{1,30}([.][0-9]{1,30}){0,1}([eE][-+]{0,1}[0-9]{1,2}){0,1}$';

/** The pattern as a SQL string literal (a constant of this module, it has no quote to escape). */
const NUMERIC_PATTERN_LITERAL: SqlText = { text: `'${NUMERIC_ATTRIBUTE_PATTERN}'`, params: [] };

/** An attribute value as a double when it is a number by the rule above, else null. */
export function numericAttribute(value: SqlText): SqlText {
  return sql`CASE WHEN regexp_like(${value}, ${NUMERIC_PATTERN_LITERAL}) THEN CAST(${value} AS double) END`;
}
