import type { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../lambdas/core/event-record';
import { Lake } from '../../local/lake/lake';

/**
 * Writes event records into a lake folder as Firehose writes them to S3: Parquet files under
 * `events/app_id=<id>/dt=<UTC day>/`, with exactly the EVENT_COLUMNS and no partition columns
 * inside (the local lake's own sink and conversion). Each call adds new files, so it can be
 * called again to append.
 */
export async function writeLake(
  instance: DuckDBInstance,
  dataDir: string,
  events: readonly EventRecord[],
): Promise<void> {
  if (events.length === 0) return;
  const lake = await Lake.open({ dataDir, command: 'a test writing a lake', instance });
  try {
    await lake.sink.put(events);
  } finally {
    await lake.close();
  }
}
