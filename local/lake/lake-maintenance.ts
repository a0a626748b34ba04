import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { logger } from '../../lambdas/core/logger';
import { compactPartition, type PartitionDerivation } from './compaction';
import { chooseMerge, chooseSettle } from './compaction-policy';
import { type JournalStep, LakeTransaction } from './lake-journal';
import type { LakeLog } from './lake-log';
import type { LakeSink } from './lake-sink';
import type { LakePartitions, PartitionFiles, SnapshotStore } from './lake-snapshot';
import { convertLog, type StepContext } from './log-conversion';
import { type PendingEvents, type PendingSegment, partitionKey } from './pending-events';

/** `convertAtBytes` and `convertBatchBytes` by default: a batch is about one full segment. */
const SEGMENT_BYTES = 16 * 1024 * 1024;

/** What the maintenance worker does; every change to the lake's files is one of these. */
export type LakeWork = 'conversion' | 'compaction' | 'import';

/** The durable steps of a piece of work, after which tests act out a crash. */
export type LakeStep = 'staged' | JournalStep;

/** When and with what the worker does its work; `Lake.open` takes these too. */
export interface MaintenanceSettings {
  /** Convert the log this long after the first write that is not yet converted (ms). @default 1000 */
  readonly convertAfterMs?: number;
  /** ...or at once when the open log segment reaches this size. @default 16 MiB */
  readonly convertAtBytes?: number;
  /**
   * A conversion commits the log's closed segments in batches of about this many bytes (at
   * least one segment each), oldest first, so a backlog drains a batch at a time. @default 16 MiB
   */
  readonly convertBatchBytes?: number;
  /** A partition settles once no conversion added a file to it for this long (ms). @default 5000 */
  readonly settleAfterMs?: number;
  /** Outputs committed with each compaction and settle of a partition (see `compaction.ts`). @default none */
  readonly derivations?: readonly PartitionDerivation[];
  /** Called after each durable step; tests copy the lake there to act out a crash. @default nothing */
  readonly onStep?: (step: LakeStep, work: LakeWork) => void | Promise<void>;
}

export interface MaintenanceOptions extends MaintenanceSettings {
  readonly dataDir: string;
  readonly log: LakeLog;
  readonly sink: LakeSink;
  readonly pending: PendingEvents;
  readonly store: SnapshotStore;
}

interface Committed {
  readonly transaction: LakeTransaction;
  readonly change: (partitions: LakePartitions) => LakePartitions;
  readonly afterReaders?: () => Promise<void>;
}

/**
 * The lake's one maintenance worker: every conversion of the log to Parquet, every compaction
 * and every import runs here, one at a time, so no two of them ever touch a partition at once —
 * at start (a crashed run's log), while serving, and at shutdown alike.
 *
 * - Conversion runs `convertAfterMs` after the first write not yet converted, or at once when
 *   the open segment reaches `convertAtBytes` or puts wait for the log's backlog
 *   (`lake-sink.ts`), and on close.
 * - After a conversion, each partition it wrote to is compacted as `compaction-policy.ts`
 *   chooses (repeatedly, as merged files may merge again), without derivations.
 * - A partition settles once no conversion added a file to it for `settleAfterMs`, and on
 *   close: its small files merge, and derivations (e.g. rollups) are brought up to date.
 * - On start, and in `compactAll` (`npm run compact`, which also merges every partition into
 *   one file), every partition's derivations are brought up to date.
 * - A failure is logged as a warning and leaves the lake as it was; a failure after a journal's
 *   commit point is retried (rolled forward) before any other work.
 */
export class LakeMaintenance {
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  /** Partitions a conversion added files to and that have not settled since, with when. */
  private readonly unsettled = new Map<string, number>();
  private conversionQueued = false;
  private blocked: { readonly work: LakeWork; readonly committed: Committed } | undefined;
  /** Its own database, one thread: maintenance never takes more than one core, nor DuckDB threads from queries. */
  private database: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | undefined;
  private stopped = false;

  constructor(private readonly options: MaintenanceOptions) {}

  /** Notes a committed write: schedules a conversion (see the class comment). */
  committed(segmentBytes: number): void {
    if (segmentBytes >= (this.options.convertAtBytes ?? SEGMENT_BYTES)) {
      void this.convertSoon(0);
    } else if (this.timer === undefined && !this.conversionQueued) {
      void this.convertSoon(this.options.convertAfterMs ?? 1000);
    }
  }

  /** Converts as soon as the work queued before is done: puts are waiting for the log's backlog. */
  behind(): void {
    this.convertSoon(0);
  }

  /**
   * Converts the log now (after the work queued before): closes the open segment and converts
   * every closed one, a batch at a time (`convertBatchBytes`), each batch committed and its
   * partitions compacted before the next; resolves when done.
   */
  convert(): Promise<void> {
    return this.enqueue('conversion', async () => {
      this.conversionQueued = false;
      const boundary = this.options.sink.rotate();
      for (;;) {
        const { changed, more } = await this.convertBatch(boundary);
        for (const partition of changed) {
          this.unsettled.set(partitionKey(partition.appId, partition.dt), Date.now());
          await this.compactByPolicy(partition);
        }
        if (changed.length > 0) this.settleSoon();
        if (!more) return;
      }
    });
  }

  /**
   * Settles the partitions that got no new file for `settleAfterMs` (all of them with `all`):
   * merges their small files and runs the derivations (see `compaction.ts`).
   */
  settle(all = false): Promise<void> {
    return this.enqueue('compaction', async () => {
      const quietSince = all ? Number.POSITIVE_INFINITY : Date.now() - (this.options.settleAfterMs ?? 5000);
      for (const [key, changed] of [...this.unsettled]) {
        if (changed > quietSince) continue;
        this.unsettled.delete(key);
        const partition = this.options.store.partitions.get(key);
        if (!partition) continue;
        await compactPartition(
          await this.context('compaction'),
          partition,
          chooseSettle(partition.files),
          this.options.derivations,
        );
      }
      if (this.unsettled.size > 0) this.settleSoon();
    });
  }

  /**
   * Compacts every partition as the policy chooses, then brings every partition's derivations
   * up to date (on start: what a stopped process left stale or half-rebuilt).
   */
  compactChosen(): Promise<void> {
    return this.enqueue('compaction', async () => {
      for (const partition of this.options.store.partitions.values()) await this.compactByPolicy(partition);
      await this.deriveAll();
    });
  }

  /** Notes partitions that got files other than by conversion (an import): they settle like converted ones. */
  touched(partitions: readonly PartitionFiles[]): void {
    for (const { appId, dt } of partitions) this.unsettled.set(partitionKey(appId, dt), Date.now());
    if (partitions.length > 0) this.settleSoon();
  }

  /** Converts the log, then merges every partition's files into one. Returns how many partitions it merged. */
  async compactAll(): Promise<number> {
    let merged = 0;
    await this.enqueue(
      'compaction',
      async () => {
        const boundary = this.options.sink.rotate();
        while ((await this.convertBatch(boundary)).more);
        for (const key of this.options.store.partitions.keys()) {
          const partition = this.options.store.partitions.get(key);
          if (!partition || partition.files.length < 2) continue;
          await compactPartition(
            await this.context('compaction'),
            partition,
            partition.files,
            this.options.derivations,
          );
          merged += 1;
        }
        await this.deriveAll();
      },
      true,
    );
    return merged;
  }

  /** Runs an import (e.g. sample data) as a piece of work; resolves with its result. */
  async run<T>(work: LakeWork, task: (context: StepContext) => Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    await this.enqueue(
      work,
      async () => {
        result = { value: await task(await this.context(work)) };
      },
      true,
    );
    if (!result) throw new Error(`The lake's ${work} did not complete`);
    return result.value;
  }

  /** Resolves once the work queued so far is done. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  /** Converts what the log holds, settles every partition, stops scheduling, and releases the connection. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.convert();
    clearTimeout(this.settleTimer);
    await this.settle(true);
    this.stopped = true;
    await this.idle();
    if (this.database) {
      const { instance, connection } = await this.database;
      connection.closeSync();
      instance.closeSync();
    }
  }

  private convertSoon(delayMs: number): void {
    if (this.stopped || this.conversionQueued) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.conversionQueued = true;
      void this.convert();
    }, delayMs);
    this.timer.unref();
  }

  private settleSoon(): void {
    if (this.stopped || this.settleTimer !== undefined) return;
    this.settleTimer = setTimeout(() => {
      this.settleTimer = undefined;
      void this.settle();
    }, this.options.settleAfterMs ?? 5000);
    this.settleTimer.unref();
  }

  /**
   * Converts the oldest closed segments below `boundary` (see `LakeSink.rotate`), about
   * `convertBatchBytes` of them (at least one), and deletes their files with those of closed
   * segments that hold no pending event. Says whether closed segments are left.
   */
  private async convertBatch(boundary: number): Promise<{ changed: PartitionFiles[]; more: boolean }> {
    const { pending, log } = this.options;
    await log.repairFailed();
    const closed = pending.segments.filter((s) => s.number < boundary);
    const limit = this.options.convertBatchBytes ?? SEGMENT_BYTES;
    const batch: PendingSegment[] = [];
    let bytes = 0;
    for (const segment of closed) {
      if (batch.length > 0 && bytes + segment.bytes > limit) break;
      batch.push(segment);
      bytes += segment.bytes;
    }
    const later = new Set(closed.slice(batch.length).map((s) => s.path));
    const files = (await log.segmentsBelow(boundary)).filter((path) => !later.has(path));
    if (batch.length === 0 && files.length === 0) return { changed: [], more: false };
    const changed = await convertLog(await this.context('conversion'), pending, batch, files);
    return { changed, more: later.size > 0 };
  }

  /**
   * Merges as the policy chooses, without derivations: a partition that gets files is usually
   * still getting them (today's), so its derived files would be stale at the next conversion;
   * they are brought up to date when it settles.
   */
  private async compactByPolicy(changed: PartitionFiles): Promise<void> {
    const key = partitionKey(changed.appId, changed.dt);
    for (;;) {
      const partition = this.options.store.partitions.get(key);
      const sources = partition ? chooseMerge(partition.files) : [];
      if (!partition || sources.length === 0) return;
      await compactPartition(await this.context('compaction'), partition, sources);
    }
  }

  /** Runs the derivations of every partition (each returns nothing where its outputs are current). */
  private async deriveAll(): Promise<void> {
    const { derivations = [], store } = this.options;
    if (derivations.length === 0) return;
    for (const key of [...store.partitions.keys()]) {
      const partition = store.partitions.get(key);
      if (partition && partition.files.length > 0) {
        await compactPartition(await this.context('compaction'), partition, [], derivations);
      }
    }
  }

  private enqueue(work: LakeWork, task: () => Promise<void>, rethrow = false): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.blocked) await this.apply(this.blocked.work, this.blocked.committed);
      await task();
    });
    this.chain = run.catch((err: unknown) => {
      logger.warn(`the lake ${work} failed; the lake is left as it was and it is tried again later`, {
        error: err as Error,
      });
    });
    return rethrow ? run : this.chain;
  }

  private async context(work: LakeWork): Promise<StepContext> {
    const onStep = async (step: LakeStep) => {
      await this.options.onStep?.(step, work);
    };
    this.database ??= DuckDBInstance.create(':memory:', { threads: '1' }).then(async (instance) => ({
      instance,
      connection: await instance.connect(),
    }));
    return {
      dataDir: this.options.dataDir,
      connection: (await this.database).connection,
      staged: () => onStep('staged'),
      commit: async (entry, change, afterReaders) => {
        const transaction = await LakeTransaction.begin(this.options.dataDir, entry, onStep);
        await this.apply(work, { transaction, change, afterReaders });
      },
    };
  }

  /**
   * Moves a committed transaction's files in and swaps the state (retried until it succeeds);
   * the deletions are queued as work of their own once no query reads what they delete.
   */
  private async apply(work: LakeWork, committed: Committed): Promise<void> {
    this.blocked = { work, committed };
    await committed.transaction.moveFiles();
    this.blocked = undefined;
    this.options.store.swap(committed.change, () => {
      void this.enqueue(work, async () => {
        await committed.transaction.finish();
        await committed.afterReaders?.();
      });
    });
  }
}
