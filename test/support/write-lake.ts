import { rm, writeFile } from 'node:fs/promises';
import type { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../lambdas/core/event-record';
import { stagingPath } from '../../local/lake/lake-files';
import { lakeLine, publishNdjson } from '../../local/lake/lake-writer';

/**
 * Writes event records into a lake folder as Firehose writes them to S3: Parquet files under
 * `events/app_id=<id>/dt=<UTC day>/`, with exactly the EVENT_COLUMNS and no partition columns
 * inside (the local lake's own writer). Each call adds new files, so it can be called again to append.
 */
export async function writeLake(
  instance: DuckDBInstance,
  dataDir: string,
  events: readonly EventRecord[],
): Promise<void> {
  if (events.length === 0) return;
  const ndjson = await stagingPath(dataDir, '.ndjson');
  const connection = await instance.connect();
  try {
    await writeFile(ndjson, events.map(lakeLine).join('\n'));
    await publishNdjson(connection, dataDir, ndjson);
  } finally {
    connection.closeSync();
    await rm(ndjson, { force: true });
  }
}
