import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { utcDay } from '../../lambdas/core/calendar-day';
import { type Column, EVENT_COLUMNS, type EventRecord } from '../../lambdas/core/event-record';
import { sqlString } from '../../lambdas/core/sql-literal';
import { duckdbType } from '../duckdb/duckdb-schema';
import {
  type Partition,
  parquetFiles,
  partitionDir,
  partitionsUnder,
  publishFile,
  stagingPath,
  syncFile,
} from './lake-files';

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

/** One NDJSON line for {@link publishNdjson}: the record plus the partition it belongs to. */
export function lakeLine(record: EventRecord): string {
  return JSON.stringify({ ...record, app_id: record.application.app_id, dt: utcDay(record.event_timestamp) });
}

/** A new, unique, time-ordered name for a lake file. */
export function lakeFileName(prefix = 'events'): string {
  return `${prefix}-${Date.now()}-${randomUUID()}.parquet`;
}

/**
 * Converts NDJSON event records (lines from {@link lakeLine}) to Parquet with exactly
 * EVENT_COLUMNS, one file per partition, under `outDir/app_id=<id>/dt=<day>/`: a staging
 * folder, invisible to readers until {@link publishStaged} moves the files into the lake.
 */
async function stageNdjson(connection: DuckDBConnection, ndjsonPath: string, outDir: string): Promise<void> {
  const select = EVENT_COLUMNS.map((c) => `"${key(c)}" AS "${c.name}"`).join(', ');
  const columns = jsonColumns(EVENT_COLUMNS, PARTITION_KEYS);
  await connection.run(
    `COPY (SELECT ${select}, app_id, dt FROM read_json(${sqlString(ndjsonPath)}, format = 'newline_delimited', columns = ${columns}))
     TO ${sqlString(outDir)} (FORMAT parquet, PARTITION_BY (app_id, dt))`,
  );
}

/**
 * {@link stageNdjson} for records split in two NDJSON files joined on `session_key`: `sessions`
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

/**
 * Moves every Parquet file staged under `outDir` into its lake partition: each file is synced,
 * then renamed in under a new unique name, so it becomes visible whole and stays after a crash.
 * Returns the partitions that got a file.
 */
export async function publishStaged(dataDir: string, outDir: string): Promise<Partition[]> {
  const staged = await partitionsUnder(outDir);
  for (const part of staged) {
    for (const name of await parquetFiles(part.dir)) {
      await syncFile(join(part.dir, name));
      await publishFile(join(part.dir, name), partitionDir(dataDir, part.appId, part.dt), lakeFileName());
    }
  }
  return staged.map((p) => ({ ...p, dir: partitionDir(dataDir, p.appId, p.dt) }));
}

/**
 * Writes NDJSON event records into the lake ({@link stageNdjson}, then {@link publishStaged}).
 * When this resolves, every record is on disk and visible to the next query.
 */
export async function publishNdjson(
  connection: DuckDBConnection,
  dataDir: string,
  ndjsonPath: string,
): Promise<Partition[]> {
  const outDir = await stagingPath(dataDir, '');
  try {
    await stageNdjson(connection, ndjsonPath, outDir);
    return await publishStaged(dataDir, outDir);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
