import { join } from 'node:path';
import type { LakeFile } from './lake-files';
import { type PartitionKey, type PendingSegment, partitionKey } from './pending-events';

/** A partition folder and its Parquet files as of one snapshot. */
export interface PartitionFiles extends PartitionKey {
  readonly dir: string;
  readonly files: readonly LakeFile[];
}

/** The Parquet files of every partition, by {@link partitionKey}. */
export type LakePartitions = ReadonlyMap<string, PartitionFiles>;

/** What queries read: the Parquet files of every partition, and the log's loaded segments. */
export interface LakeState {
  readonly partitions: LakePartitions;
  readonly segments: readonly PendingSegment[];
}

/** The log's side of the state (see `pending-events.ts`). */
export interface PendingView {
  readonly segments: readonly PendingSegment[];
}

/**
 * One query's view of the lake, fixed when pinned: the files and log tables it reads stay on
 * disk and in DuckDB until it is released, whatever conversion or compaction does meanwhile.
 */
export interface LakeSnapshot {
  readonly state: LakeState;
  /**
   * The partition's version: the newest commit sequence number among its events (files and
   * log), 0 when it has none. It changes whenever the partition's set of events changes (a
   * write or a late event for its day), never when compaction only rearranges its files.
   */
  version(appId: string, dt: string): number;
  release(): void;
}

interface Retired {
  readonly epoch: number;
  readonly cleanup: () => void;
}

/**
 * Holds the lake's current files and hands out pinned snapshots of them with the log's loaded
 * segments ({@link LakeState}). A change is
 * a synchronous swap, so a query sees the state before it or after it, never a mix; what the
 * change removed (files, log tables) is cleaned up once every snapshot that can still see it
 * is released. No query ever waits for a change, and no change waits for a query.
 */
export class SnapshotStore {
  private epoch = 0;
  private readonly pinned = new Map<number, number>();
  private retired: Retired[] = [];

  constructor(
    private current: LakePartitions,
    private readonly pending: PendingView,
  ) {}

  /** The partitions' files now. */
  get partitions(): LakePartitions {
    return this.current;
  }

  pin(): LakeSnapshot {
    const epoch = this.epoch;
    const state = { partitions: this.current, segments: this.pending.segments };
    this.pinned.set(epoch, (this.pinned.get(epoch) ?? 0) + 1);
    let released = false;
    return {
      state,
      version: (appId, dt) => versionOf(state, appId, dt),
      release: () => {
        if (released) return;
        released = true;
        const left = (this.pinned.get(epoch) ?? 1) - 1;
        if (left === 0) this.pinned.delete(epoch);
        else this.pinned.set(epoch, left);
        this.runCleanups();
      },
    };
  }

  /**
   * Replaces the partitions' files at once; `change` may also take segments out of the pending
   * events (it runs in the same synchronous step). `cleanup` (which removes what the new state
   * no longer lists, e.g. by queuing that work) is called once every snapshot pinned before the
   * swap is released.
   */
  swap(change: (partitions: LakePartitions) => LakePartitions, cleanup?: () => void): void {
    this.current = change(this.current);
    this.epoch += 1;
    if (cleanup) this.retired.push({ epoch: this.epoch, cleanup });
    this.runCleanups();
  }

  private runCleanups(): void {
    const oldestPinned = Math.min(...this.pinned.keys());
    const ready = this.retired.filter((r) => r.epoch <= oldestPinned);
    if (ready.length === 0) return;
    this.retired = this.retired.filter((r) => r.epoch > oldestPinned);
    for (const { cleanup } of ready) cleanup();
  }
}

const byApp = new WeakMap<LakePartitions, Map<string, PartitionFiles[]>>();

/**
 * The partitions of one app, from an index built once per partitions map (a change swaps in a
 * new map, see {@link changeFiles}), so a query of one app does not walk every app's.
 */
export function appPartitions(partitions: LakePartitions, appId: string): readonly PartitionFiles[] {
  let index = byApp.get(partitions);
  if (!index) {
    index = new Map();
    for (const partition of partitions.values()) {
      const list = index.get(partition.appId);
      if (list) list.push(partition);
      else index.set(partition.appId, [partition]);
    }
    byApp.set(partitions, index);
  }
  return index.get(appId) ?? [];
}

const parquetByApp = new WeakMap<LakePartitions, Map<string | undefined, readonly string[]>>();

/**
 * The paths of the Parquet files of one app (of every app when none is given), listed once per
 * partitions map: queries between two changes share the list.
 */
export function parquetPaths(partitions: LakePartitions, appId?: string): readonly string[] {
  let lists = parquetByApp.get(partitions);
  if (!lists) {
    lists = new Map();
    parquetByApp.set(partitions, lists);
  }
  let paths = lists.get(appId);
  if (!paths) {
    const chosen = appId === undefined ? [...partitions.values()] : appPartitions(partitions, appId);
    paths = chosen.flatMap((partition) => partition.files.map((file) => join(partition.dir, file.name)));
    lists.set(appId, paths);
  }
  return paths;
}

function versionOf(state: LakeState, appId: string, dt: string): number {
  const key = partitionKey(appId, dt);
  let version = 0;
  for (const file of state.partitions.get(key)?.files ?? []) version = Math.max(version, file.seq);
  for (const segment of state.segments) version = Math.max(version, segment.partitions.get(key)?.seq ?? 0);
  return version;
}

/** The partitions with files added (creating partitions) and files removed, by partition. */
export function changeFiles(
  partitions: LakePartitions,
  changes: readonly { readonly partition: PartitionFiles; readonly remove?: readonly string[] }[],
): LakePartitions {
  const next = new Map(partitions);
  for (const { partition, remove = [] } of changes) {
    const key = partitionKey(partition.appId, partition.dt);
    const kept = (next.get(key)?.files ?? []).filter((f) => !remove.includes(f.name));
    next.set(key, { ...partition, files: [...kept, ...partition.files] });
  }
  return next;
}
