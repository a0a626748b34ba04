import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { EVENT_COLUMNS, type EventRecord, utcDay } from '../../lambdas/core/event-record';
import { EVENTS_PREFIX } from '../../lambdas/core/lake-layout';
import { eventJsonColumns } from '../../local/duckdb-schema';

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Writes event records into a lake folder as Firehose writes them to S3: Parquet files under
 * `events/app_id=<id>/dt=<UTC day>/`, with exactly the EVENT_COLUMNS and no partition columns
 * inside. Each call adds new files, so it can be called again to append.
 */
export async function writeLake(
  instance: DuckDBInstance,
  dataDir: string,
  events: readonly EventRecord[],
): Promise<void> {
  if (events.length === 0) return;
  const staging = await mkdtemp(join(tmpdir(), 'lake-staging-'));
  try {
    const ndjson = join(staging, 'events.ndjson');
    const lines = events.map((e) =>
      JSON.stringify({ ...e, app_id: e.application.app_id, dt: utcDay(e.event_timestamp) }),
    );
    await writeFile(ndjson, `${lines.join('\n')}\n`);
    const target = join(dataDir, EVENTS_PREFIX);
    await mkdir(target, { recursive: true });
    const columns = eventJsonColumns().replace(/\}$/, ", 'app_id': 'VARCHAR', 'dt': 'VARCHAR'}");
    const select = EVENT_COLUMNS.map((c) => `"${c.jsonKey ?? c.name}" AS "${c.name}"`).join(', ');
    const connection = await instance.connect();
    try {
      await connection.run(
        `COPY (SELECT ${select}, app_id, dt FROM read_json(${quote(ndjson)}, format = 'newline_delimited', columns = ${columns}))
         TO ${quote(target)} (FORMAT parquet, PARTITION_BY (app_id, dt), APPEND)`,
      );
    } finally {
      connection.closeSync();
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
