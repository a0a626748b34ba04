import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { logger } from '../../lambdas/core/logger';
import { CliError } from '../cli/cli-error';
import type { EventsSource, PinnedEvents } from '../duckdb/duckdb-engine';
import { prepareDataDir } from './data-dir';
import { lockDataDir } from './data-dir-lock';
import {
  clearStaging,
  type LakeFile,
  lakeFileName,
  lakePartitions,
  parquetFiles,
  partitionDir,
  partitionFiles,
  partitionsUnder,
  syncFile,
} from './lake-files';
import { type FileMove, recoverJournals } from './lake-journal';
import { LakeLog } from './lake-log';
import { LakeMaintenance, type MaintenanceSettings } from './lake-maintenance';
import { LakeSink } from './lake-sink';
import {
  changeFiles,
  type LakeSnapshot,
  type PartitionFiles,
  parquetPaths,
  SnapshotStore,
} from './lake-snapshot';
import { PendingEvents, partitionKey } from './pending-events';

/** See {@link MaintenanceSettings} for when the log is converted, partitions settle, and derivations. */
export interface LakeOptions extends MaintenanceSettings {
  /** The lake folder; created when missing. */
  readonly dataDir: string;
  /** Who holds the lake, written into its lock (e.g. `npm run compact`). */
  readonly command: string;
  /** The database that holds the log's pending events and runs conversions and queries. */
  readonly instance: DuckDBInstance;
  /** Puts wait while the log holds this many bytes not yet converted (see `lake-sink.ts`). @default 64 MiB */
  readonly maxBacklogBytes?: number;
  /** A put that waited this long for the log's backlog is refused (ms). @default no limit */
  readonly backlogWaitMs?: number;
}

/** A query's pinned view of the lake: what the `events` view reads, and partition versions. */
export type PinnedLake = PinnedEvents & LakeSnapshot;

/**
 * The local lake, owned by one process (its `.lock`): the sink that appends accepted events to
 * the log, the source of every query's `events` view (Parquet files plus events still in the
 * log), and the one worker that converts the log and compacts partitions
 * (`lake-maintenance.ts`). Opening it finishes what a stopped process left (journals, staging
 * files, log segments) before anything reads it.
 */
export class Lake implements EventsSource {
  private stopping: Promise<void> | undefined;

  private constructor(
    readonly dataDir: string,
    readonly sink: LakeSink,
    private readonly parts: {
      readonly store: SnapshotStore;
      readonly pending: PendingEvents;
      readonly log: LakeLog;
      readonly maintenance: LakeMaintenance;
      readonly nextSeq: () => number;
      readonly release: () => Promise<void>;
    },
  ) {}

  /**
   * Opens a lake folder: checks it, takes its lock (a CliError when another process holds it),
   * rolls interrupted journals forward, removes staging files, lists the partitions and loads
   * the log segments a stopped process left, which are then converted in the background.
   */
  static async open(options: LakeOptions): Promise<Lake> {
    const dataDir = await prepareDataDir(options.dataDir);
    const lock = await lockDataDir(dataDir, options.command);
    let opened: LakeLog | undefined;
    try {
      const recovered = await recoverJournals(dataDir);
      if (recovered > 0) logger.info('finished the lake changes a stopped process left', { recovered });
      await clearStaging(dataDir);
      for (const derivation of options.derivations ?? []) await derivation.open?.(dataDir);
      const partitions = new Map<string, PartitionFiles>();
      let seq = 0;
      for (const partition of await lakePartitions(dataDir)) {
        const files = await partitionFiles(partition.dir);
        for (const file of files) seq = Math.max(seq, file.seq);
        partitions.set(partitionKey(partition.appId, partition.dt), { ...partition, files });
      }
      const { log, segments } = await LakeLog.open(dataDir);
      opened = log;
      const pending = new PendingEvents(options.instance, dataDir, (n) => log.path(n));
      for (const segment of segments) {
        if (segment.bytes === 0) continue;
        await pending.addFile(segment.number, ++seq, segment.bytes).catch(async (err: unknown) => {
          await pending.close();
          throw new CliError(
            `The log segment ${segment.path} does not hold event records (${(err as Error).message.split('\n')[0]}); move it out of the data dir to open the lake without it`,
          );
        });
      }
      const nextSeq = () => ++seq;
      let maintenance: LakeMaintenance | undefined;
      const store = new SnapshotStore(partitions, pending);
      const sink = new LakeSink({
        log,
        pending,
        nextSeq,
        onCommit: (bytes) => maintenance?.committed(bytes),
        onBacklog: () => maintenance?.behind(),
        maxBacklogBytes: options.maxBacklogBytes,
        backlogWaitMs: options.backlogWaitMs,
      });
      maintenance = new LakeMaintenance({ ...options, dataDir, log, sink, pending, store });
      const release = async () => {
        await clearStaging(dataDir);
        await lock.release();
      };
      const lake = new Lake(dataDir, sink, { store, pending, log, maintenance, nextSeq, release });
      if (segments.length > 0) void maintenance.convert();
      void maintenance.compactChosen();
      return lake;
    } catch (err) {
      await opened?.close();
      await lock.release();
      throw err;
    }
  }

  /**
   * Pins what the next query reads, after waiting for the events acknowledged so far to be
   * loaded (see `pending-events.ts`); never waits for a conversion or compaction. With `appId`,
   * only that app's events are loaded and read (a KPI answer reads one app). `alongside` runs in
   * the same synchronous step as the pin, so what it reads of a derivation's state (swapped in a
   * derivation's `apply`, see `compaction.ts`) matches the pinned files.
   */
  async pin(options: { readonly appId?: string; readonly alongside?: () => void } = {}): Promise<PinnedLake> {
    const { appId, alongside } = options;
    await this.parts.pending.caughtUp(appId);
    const snapshot = this.parts.store.pin();
    alongside?.();
    const { partitions, segments } = snapshot.state;
    const parquet = parquetPaths(partitions, appId);
    // A segment whose first write of the app was committed after the catch-up has no table
    // yet, and nothing this query must see.
    const tables = segments.flatMap((s) => s.tables(appId));
    return { ...snapshot, parts: { parquet, tables } };
  }

  /** The ids of the apps with events, in files or still in the log, each once, sorted. */
  apps(): string[] {
    const { store, pending } = this.parts;
    const apps = new Set<string>();
    for (const segment of pending.segments) {
      for (const partition of segment.partitions.values()) apps.add(partition.appId);
    }
    for (const partition of store.partitions.values()) {
      if (partition.files.length > 0) apps.add(partition.appId);
    }
    return [...apps].sort();
  }

  /** Whether the lake holds events (in files or in its log) of the app, or of any app when none is given. */
  holdsEvents(appId?: string): boolean {
    const apps = this.apps();
    return appId === undefined ? apps.length > 0 : apps.includes(appId);
  }

  /**
   * Moves Parquet files staged in the lake layout (`<dir>/app_id=<id>/dt=<day>/*.parquet`, e.g.
   * sample data) into the lake, all in one journaled step. Returns the partitions that got files.
   */
  importStaged(dirs: readonly string[]): Promise<PartitionFiles[]> {
    return this.parts.maintenance.run('import', async (context) => {
      const seq = this.parts.nextSeq();
      const moves: FileMove[] = [];
      const added: PartitionFiles[] = [];
      for (const staged of dirs) {
        for (const part of await partitionsUnder(staged)) {
          const dir = partitionDir(this.dataDir, part.appId, part.dt);
          const files: LakeFile[] = [];
          for (const name of await parquetFiles(part.dir)) {
            const from = join(part.dir, name);
            await syncFile(from);
            const file = { name: lakeFileName('events', seq), bytes: (await stat(from)).size, seq };
            files.push(file);
            moves.push({ from, to: join(dir, file.name) });
          }
          added.push({ appId: part.appId, dt: part.dt, dir, files });
        }
      }
      await context.staged();
      await context.commit({ moves, deletes: [] }, (partitions) =>
        changeFiles(
          partitions,
          added.map((partition) => ({ partition })),
        ),
      );
      this.parts.maintenance.touched(added);
      return added;
    });
  }

  /** Converts the log, then merges every partition's files into one. Returns how many partitions it merged. */
  async compactAll(): Promise<number> {
    const merged = await this.parts.maintenance.compactAll();
    await this.parts.maintenance.idle();
    return merged;
  }

  /**
   * Converts the log, then settles every partition that got files since it last settled (as
   * the worker does once they are quiet: small files merge, derivations run), and waits.
   */
  async settled(): Promise<void> {
    await this.parts.maintenance.convert();
    await this.parts.maintenance.settle(true);
    await this.parts.maintenance.idle();
  }

  /** Converts the log now and waits until the maintenance queued so far is done. */
  async converted(): Promise<void> {
    await this.parts.maintenance.convert();
    await this.parts.maintenance.idle();
  }

  /**
   * Refuses new puts, writes the queued ones, converts the log, finishes the maintenance and
   * the cleanups no query waits for, and releases the lock. The DuckDB instance stays open
   * (its owner closes it).
   */
  close(): Promise<void> {
    this.stopping ??= (async () => {
      this.sink.close();
      await this.parts.maintenance.stop();
      await this.parts.pending.close();
      this.parts.log.close();
      await this.parts.release();
    })();
    return this.stopping;
  }
}
