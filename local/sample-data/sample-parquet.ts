import type { DuckDBConnection } from '@duckdb/node-api';
import { type Column, EVENT_COLUMNS } from '../../lambdas/core/event-record';
import { sqlString } from '../../lambdas/core/sql-literal';
import { duckdbType } from '../duckdb/duckdb-schema';

const key = (c: Column) => c.jsonKey ?? c.name;

/** The `columns` argument of `read_json`: JSON key to DuckDB type. */
function jsonColumns(columns: readonly Column[], extra: Record<string, string>): string {
  const entries = [...columns.map((c) => [key(c), duckdbType(c.type)]), ...Object.entries(extra)];
  return `{${entries.map(([name, type]) => `'${name}': '${type}'`).join(', ')}}`;
}

const PARTITION_KEYS = { app_id: 'VARCHAR', dt: 'VARCHAR' };

/** The columns an event shares with the rest of its session, which sample data writes once per session. */
const SESSION_SHARED_COLUMNS: ReadonlySet<string> = new Set([
  'event_version',
  'application',
  'client',
  'device',
  'endpoint',
]);

/**
 * Converts event records split in two NDJSON files joined on `session_key` to Parquet with
 * exactly EVENT_COLUMNS, one file per partition, under `outDir/app_id=<id>/dt=<day>/`: `sessions`
 * holds the {@link SESSION_SHARED_COLUMNS} (plus `app_id` and `dt`) once per session, `events`
 * the other columns of each event. Sample data is written this way: a quarter of the bytes.
 */
export async function stageSessionNdjson(
  connection: DuckDBConnection,
  files: { readonly sessions: string; readonly events: string },
  outDir: string,
): Promise<void> {
  const shared = EVENT_COLUMNS.filter((c) => SESSION_SHARED_COLUMNS.has(c.name));
  const own = EVENT_COLUMNS.filter((c) => !SESSION_SHARED_COLUMNS.has(c.name));
  const select = EVENT_COLUMNS.map(
    (c) => `${SESSION_SHARED_COLUMNS.has(c.name) ? 's' : 'e'}."${key(c)}" AS "${c.name}"`,
  ).join(', ');
  const read = (path: string, columns: string) =>
    `read_json(${sqlString(path)}, format = 'newline_delimited', columns = ${columns})`;
  const sessions = read(files.sessions, jsonColumns(shared, { session_key: 'BIGINT', ...PARTITION_KEYS }));
  const events = read(files.events, jsonColumns(own, { session_key: 'BIGINT' }));
  await connection.run(
    `COPY (SELECT ${select}, s.app_id, s.dt FROM ${events} e JOIN ${sessions} s USING (session_key))
     TO ${sqlString(outDir)} (FORMAT parquet, PARTITION_BY (app_id, dt))`,
  );
}
