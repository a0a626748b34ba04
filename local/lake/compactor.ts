import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { logger } from '../../lambdas/core/logger';
import { compactPartition } from './compact';
import { lakePartitions, type Partition } from './lake-files';
import type { ReadWriteLock } from './read-write-lock';

export interface CompactorOptions {
  readonly instance: DuckDBInstance;
  readonly dataDir: string;
  /** The lake lock the query engine reads under. */
  readonly lock: ReadWriteLock;
  /** Compact the partitions written to once no write came for this long (ms). @default 5000 */
  readonly idleMs?: number;
  /** Compact a partition without waiting for quiet once it got this many new files. @default 64 */
  readonly maxNewFiles?: number;
}

/**
 * Runs compaction in a server: all partitions on start, and partitions the sink wrote to when
 * writes pause (or when one collects many files under steady traffic). One compaction runs at
 * a time; a failed one is logged and leaves the partition as it was (see `compact.ts`).
 */
export class Compactor {
  private readonly newFiles = new Map<string, { partition: Partition; count: number }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private connection: Promise<DuckDBConnection> | undefined;
  private stopped = false;

  constructor(private readonly options: CompactorOptions) {}

  /** Compacts every partition with two or more files; resolves when done. */
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
        for (const partition of await partitions()) {
          if (this.stopped) return;
          this.connection ??= this.options.instance.connect();
          const connection = await this.connection;
          await compactPartition(partition, {
            connection,
            dataDir: this.options.dataDir,
            lock: this.options.lock,
          });
        }
      } catch (err) {
        logger.warn('compaction failed; the partition is left as it was', { error: err as Error });
      }
    });
    return this.running;
  }
}
