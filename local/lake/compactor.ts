import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { logger } from '../../lambdas/core/logger';
import type { LakeRollupCatalog } from '../rollups/lake-rollup-catalog';
import { compactPartitions } from './compact';
import { lakePartitions, type Partition } from './lake-files';
import type { ReadWriteLock } from './read-write-lock';

const PARTITIONS_PER_COMMIT = 8;

export interface CompactorOptions {
  readonly instance: DuckDBInstance;
  readonly dataDir: string;
  /** The lake lock the query engine reads under. */
  readonly lock: ReadWriteLock;
  /** Told of every commit, so that KPIs read the new rollups. @default none */
  readonly catalog?: LakeRollupCatalog;
  /** Compact the partitions written to once no write came for this long (ms). @default 5000 */
  readonly idleMs?: number;
  /** Compact a partition without waiting for quiet once it got this many new files. @default 64 */
  readonly maxNewFiles?: number;
}

/**
 * Runs compaction in a server: all partitions on start, and partitions the sink wrote to when
 * writes pause (or when one collects many files under steady traffic), merging their files and
 * bringing their rollups up to date. One compaction runs at a time; a failed one is logged and
 * leaves the partitions as they were (see `compact.ts`).
 */
export class Compactor {
  private readonly newFiles = new Map<string, { partition: Partition; count: number }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private connection: Promise<DuckDBConnection> | undefined;
  private stopped = false;

  constructor(private readonly options: CompactorOptions) {}

  /** Compacts every partition with two or more files or a rollup not current; resolves when done. */
  compactAll(): Promise<void> {
    return this.enqueue(async () => lakePartitions(this.options.dataDir));
  }

  /** Notes that the sink wrote a file into each partition. */
  touched(partitions: readonly Partition[]): void {
    for (const partition of partitions) {
      const entry = this.newFiles.get(partition.dir) ?? { partition, count: 0 };
      entry.count += 1;
      this.newFiles.set(partition.dir, entry);
    }
    clearTimeout(this.timer);
    const crowded = [...this.newFiles.values()].some((e) => e.count >= (this.options.maxNewFiles ?? 64));
    this.timer = setTimeout(() => this.compactTouched(), crowded ? 0 : (this.options.idleMs ?? 5000));
    this.timer.unref();
  }

  /** Cancels what is scheduled, waits for a running compaction, and releases the connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    if (this.connection) (await this.connection).closeSync();
  }

  private compactTouched(): Promise<void> {
    const partitions = [...this.newFiles.values()].map((e) => e.partition);
    this.newFiles.clear();
    return this.enqueue(async () => partitions);
  }

  private enqueue(partitions: () => Promise<readonly Partition[]>): Promise<void> {
    this.running = this.running.then(async () => {
      try {
        const list = await partitions();
        // A few partitions per commit, so that stopping waits for one small commit at most.
        for (let i = 0; i < list.length && !this.stopped; i += PARTITIONS_PER_COMMIT) {
          this.connection ??= this.options.instance.connect();
          await compactPartitions(list.slice(i, i + PARTITIONS_PER_COMMIT), {
            connection: await this.connection,
            dataDir: this.options.dataDir,
            lock: this.options.lock,
            catalog: this.options.catalog,
          });
        }
      } catch (err) {
        logger.warn('compaction failed; the partitions are left as they were', { error: err as Error });
      }
    });
    return this.running;
  }
}
