import type { ColumnInfo, ResultSet } from '@aws-sdk/client-athena';
import type { Row } from '../core/query-engine';

/** Decoding of Athena result sets, whose values all arrive as text, by each column's type. */

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint']);
const NUMBER_TYPES = new Set(['double', 'float', 'real', 'decimal']);

type Value = Row[string];

function decode(text: string | undefined, type: string): Value {
  if (text === undefined) return null;
  if (INTEGER_TYPES.has(type)) {
    const value = BigInt(text);
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (NUMBER_TYPES.has(type)) return Number(text);
  if (type === 'boolean') return text === 'true';
  return text;
}

/**
 * The rows of one GetQueryResults page. The first page of a SELECT starts with a header row
 * (the column names), which is skipped.
 */
export function decodeRows(resultSet: ResultSet | undefined, firstPage: boolean): Row[] {
  const columns: ColumnInfo[] = resultSet?.ResultSetMetadata?.ColumnInfo ?? [];
  const rows = resultSet?.Rows ?? [];
  return rows
    .slice(firstPage ? 1 : 0)
    .map((row) =>
      Object.fromEntries(
        columns.map((column, i) => [
          column.Name ?? `_col${i}`,
          decode(row.Data?.[i]?.VarCharValue, (column.Type ?? 'varchar').toLowerCase()),
        ]),
      ),
    );
}
