import type { ColumnType } from '../../lambdas/core/event-record';

/** Renders a schema column type as a DuckDB type, e.g. `STRUCT("name" VARCHAR)` or `MAP(VARCHAR, DOUBLE)`. */
export function duckdbType(type: ColumnType): string {
  if (type === 'string') return 'VARCHAR';
  if (type === 'bigint') return 'BIGINT';
  if (type === 'double') return 'DOUBLE';
  if ('map' in type) return `MAP(VARCHAR, ${type.map === 'double' ? 'DOUBLE' : 'VARCHAR'})`;
  return `STRUCT(${type.struct.map((c) => `"${c.name}" ${duckdbType(c.type)}`).join(', ')})`;
}
