import { rm, writeFile } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { BadRequestError, ServiceUnavailableError } from '../../lambdas/core/errors';
import type { EventRecord } from '../../lambdas/core/event-record';
import type { EventSink } from '../../lambdas/core/event-sink';
import { isValidAppId } from '../../lambdas/core/identifiers';
import { type Partition, stagingPath } from './lake-files';
import { lakeLine, publishNdjson } from './lake-writer';

export interface LakeSinkOptions {
  /** The lake folder: files go to `events/app_id=<id>/dt=<YYYY-MM-DD>/`. */
  readonly dataDir: string;
  /** The DuckDB database that converts records to Parquet (shared with the query engine). */
  readonly instance: DuckDBInstance;
  /** Told which partitions got a new file, e.g. to schedule compaction. @default nothing */
  readonly onWrite?: (partitions: readonly Partition[]) => void;
}

interface PendingPut {
  readonly records: readonly EventRecord[];
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * The local lake as an {@link EventSink}. Writes are serialised in-process with group commit:
 * while one batch is being written, later puts queue up and are written together next, as one
 * Parquet file per partition. `put` resolves only once its records are synced to disk and
 * renamed into the lake (visible to the next query); if that fails, it rejects with
 * {@link ServiceUnavailableError}, so the door answers 500 and nothing acknowledged is lost.
 */
export class LakeSink implements EventSink {
  private queue: PendingPut[] = [];
  private draining: Promise<void> | undefined;
  private connection: Promise<DuckDBConnection> | undefined;
  private closed = false;

  constructor(private readonly options: LakeSinkOptions) {}

  put(records: readonly EventRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new ServiceUnavailableError('The local server is shutting down'));
    if (records.length === 0) return Promise.resolve();
    const badApp = records.find((r) => !isValidAppId(r.application.app_id));
    if (badApp) {
      const appId = JSON.stringify(badApp.application.app_id);
      return Promise.reject(new BadRequestError(`The app id ${appId} cannot name a lake folder`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Waits for queued puts, refuses new ones, and releases the DuckDB connection. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
    if (this.connection) (await this.connection).closeSync();
  }

  private async drain(): Promise<void> {
    for (let batch = this.queue.splice(0); batch.length > 0; batch = this.queue.splice(0)) {
      try {
        const partitions = await this.write(batch.flatMap((p) => p.records));
        for (const p of batch) p.resolve();
        this.options.onWrite?.(partitions);
      } catch (err) {
        const failure = new ServiceUnavailableError(
          `The local lake could not store the events: ${(err as Error).message}`,
          { cause: err, retryAfterSeconds: 1 },
        );
        for (const p of batch) p.reject(failure);
      }
    }
    this.draining = undefined;
  }

  private async write(records: readonly EventRecord[]): Promise<Partition[]> {
    this.connection ??= this.options.instance.connect();
    const connection = await this.connection;
    const ndjson = await stagingPath(this.options.dataDir, '.ndjson');
    try {
      await writeFile(ndjson, records.map(lakeLine).join('\n'));
      return await publishNdjson(connection, this.options.dataDir, ndjson);
    } finally {
      await rm(ndjson, { force: true });
    }
  }
}
