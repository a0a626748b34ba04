import { open, unlink } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { stagingPath } from './lake-files';
import { readLogLines, readLogPartitions } from './log-lines';

/**
 * The events that are in the log but not yet in Parquet. Queries read them from DuckDB tables
 * (in the shared in-memory database) beside the Parquet files: one table per log segment and
 * app, and one per segment a stopped process left (all its apps). They are loaded only when a
 * query needs them, and only the queried app's: {@link PendingEvents.caughtUp} loads what of
 * the app was committed before it, in one statement per segment, so the very next query
 * counts an acknowledged event while the write path never waits for DuckDB, a lake nobody
 * queries never loads anything, and a dashboard on one app never pays for another app's
 * ingest. A load hands DuckDB the bytes the log wrote (no second encoding on the main thread),
 * through a staging file written on libuv's pool.
 *
 * Each row carries `_seq`, the commit sequence number of the newest write of its load: a query
 * reads each table's rows up to the `_seq` it had when pinned ({@link PendingTable}), so a load
 * that lands while it runs does not show up half.
 */

/** The partition an event belongs to: its app and the UTC day of its timestamp. */
export interface PartitionKey {
  readonly appId: string;
  readonly dt: string;
}

export const partitionKey = (appId: string, dt: string) => `${appId}/${dt}`;

/** One committed log write (a group of puts), as handed over by the sink. */
export interface CommittedWrite {
  readonly segment: number;
  readonly seq: number;
  /** Its NDJSON lines as written to the log (UTF-8, each line ending with a newline), by app. */
  readonly lines: ReadonlyMap<string, readonly Uint8Array[]>;
  /** The partitions its events belong to, by {@link partitionKey}. */
  readonly partitions: ReadonlyMap<string, PartitionKey>;
}

/** A table of pending events as one query reads it: rows with a larger `_seq` are not read. */
export interface PendingTable {
  readonly name: string;
  readonly maxSeq: number;
}

/** A log segment with events not yet in Parquet. */
export interface PendingSegment {
  readonly number: number;
  /** The segment's file. */
  readonly path: string;
  /** Bytes of log lines it holds (see {@link PendingEvents.bytes}). */
  readonly bytes: number;
  /** The newest seq committed per partition, by {@link partitionKey}; grows while the segment is open. */
  readonly partitions: ReadonlyMap<string, PartitionKey & { seq: number }>;
  /**
   * Its tables with rows loaded so far, of one app (also a table of all apps, for a segment a
   * stopped process left) or of every app, each with the newest `_seq` in it now: read it in the
   * same synchronous step as the rest of a pin.
   */
  tables(appId?: string): PendingTable[];
}

/** The committed writes of one app not in its table yet. */
interface Unloaded {
  readonly seq: number;
  readonly lines: readonly Uint8Array[];
}

interface AppTable {
  readonly name: string;
  /** The newest `_seq` in the table; 0 while it does not exist. */
  loadedSeq: number;
  /** Writes a load took and has not inserted yet (they count as not loaded). */
  loading: Unloaded[];
  /** Writes no load took yet. */
  unloaded: Unloaded[];
}

interface Segment extends PendingSegment {
  readonly partitions: Map<string, PartitionKey & { seq: number }>;
  bytes: number;
  readonly apps: Map<string, AppTable>;
  /** The table of a segment a stopped process left, loaded whole (every app) when first needed. */
  readonly file:
    | { readonly name: string; readonly seq: number; loaded: boolean; readonly apps: Set<string> }
    | undefined;
}

interface Waiter {
  /** The app whose writes up to `target` must be loaded. */
  readonly appId: string;
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** Tells the tables of two lakes sharing a DuckDB instance apart. */
let lakes = 0;

export class PendingEvents {
  private readonly prefix = `lake_${++lakes}_log_`;
  private list: readonly Segment[] = [];
  /** The newest seq committed per app (its writes and segments a stopped process left). */
  private readonly committed = new Map<string, number>();
  private loading: Promise<void> | undefined;
  /** Loads and drops, one after the other, so a table is never dropped while being loaded. */
  private chain: Promise<void> = Promise.resolve();
  private waiters: Waiter[] = [];
  private connection: Promise<DuckDBConnection> | undefined;
  /** App ids get table names by number (an app id is not a SQL name). */
  private readonly appNumbers = new Map<string, number>();
  private backlog = 0;
  /** Callers of {@link whenBelow} waiting for the backlog to shrink. */
  private drains: { readonly bytes: number; readonly resolve: () => void }[] = [];

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly dataDir: string,
    private readonly segmentPath: (segment: number) => string,
  ) {}

  /** The segments not yet converted, oldest first; a new array whenever one is added or removed. */
  get segments(): readonly PendingSegment[] {
    return this.list;
  }

  /**
   * Bytes of log lines committed and not yet converted to Parquet: the log's backlog, which the
   * sink bounds (`lake-sink.ts`).
   */
  get bytes(): number {
    return this.backlog;
  }

  /** Resolves once the backlog ({@link bytes}) is below `bytes`, at once when it already is. */
  whenBelow(bytes: number): Promise<void> {
    if (this.backlog < bytes) return Promise.resolve();
    return new Promise((resolve) => this.drains.push({ bytes, resolve }));
  }

  /** Takes a committed log write; it is loaded when a query needs it. */
  add(write: CommittedWrite): void {
    const segment = this.segment(write.segment);
    for (const [k, p] of write.partitions) segment.partitions.set(k, { ...p, seq: write.seq });
    for (const [appId, lines] of write.lines) {
      this.appTable(segment, appId).unloaded.push({ seq: write.seq, lines });
      this.committed.set(appId, write.seq);
      for (const line of lines) segment.bytes += line.byteLength;
    }
    this.resize();
  }

  /**
   * Takes a segment of `bytes` an earlier run left (see `LakeLog.open`), under the given seq:
   * reads which partitions it holds; its events are loaded when a query needs them. Fails when
   * the file holds something other than log lines.
   */
  async addFile(number: number, seq: number, bytes: number): Promise<void> {
    const connection = await this.connect();
    const path = this.segmentPath(number);
    const found = await connection.runAndReadAll(readLogPartitions(path));
    const apps = new Set<string>();
    const partitions = new Map<string, PartitionKey & { seq: number }>();
    for (const [appId, dt] of found.getRowsJson() as [string, string][]) {
      partitions.set(partitionKey(appId, dt), { appId, dt, seq });
      apps.add(appId);
      this.committed.set(appId, Math.max(this.committed.get(appId) ?? 0, seq));
    }
    this.list = [
      ...this.list,
      this.newSegment(
        number,
        partitions,
        { name: `${this.prefix}${number}`, seq, loaded: false, apps },
        bytes,
      ),
    ].sort((a, b) => a.number - b.number);
    this.resize();
  }

  /**
   * Loads the writes of the app (of every app when none is given) committed before the call and
   * resolves once they are; rejects when loading failed (a later call tries again).
   */
  caughtUp(appId?: string): Promise<void> {
    const apps = appId === undefined ? [...this.committed.keys()] : [appId];
    const waits: Promise<void>[] = [];
    for (const app of apps) {
      const target = this.committed.get(app) ?? 0;
      if (this.loadedUpTo(app, target)) continue;
      waits.push(
        new Promise<void>((resolve, reject) => this.waiters.push({ appId: app, target, resolve, reject })),
      );
    }
    if (waits.length === 0) return Promise.resolve();
    this.loading ??= this.serially(() => this.load());
    return Promise.all(waits).then(() => undefined);
  }

  /** Forgets the segments (no new query reads them); their tables stay until {@link drop}. */
  remove(numbers: ReadonlySet<number>): PendingSegment[] {
    const removed = this.list.filter((s) => numbers.has(s.number));
    this.list = this.list.filter((s) => !numbers.has(s.number));
    // Their events are in Parquet now: a query waiting for them to be loaded need not wait.
    this.waiters = this.waiters.filter((w) => this.settle(w));
    this.resize();
    return removed;
  }

  /** Recounts the backlog and resolves the {@link whenBelow} callers it is now below. */
  private resize(): void {
    this.backlog = this.list.reduce((sum, s) => sum + s.bytes, 0);
    const below = this.drains.filter((d) => this.backlog < d.bytes);
    if (below.length === 0) return;
    this.drains = this.drains.filter((d) => this.backlog >= d.bytes);
    for (const drain of below) drain.resolve();
  }

  /** Drops the tables of removed segments, once no query reads them. */
  drop(segments: readonly PendingSegment[]): Promise<void> {
    return this.serially(async () => {
      const connection = await this.connect();
      for (const s of segments as readonly Segment[]) {
        const names = [...s.apps.values()].map((t) => t.name);
        if (s.file) names.push(s.file.name);
        for (const name of names) await connection.run(`DROP TABLE IF EXISTS "${name}"`);
      }
    });
  }

  /** Waits for the load or drop in progress and releases the connection. */
  async close(): Promise<void> {
    await this.serially(async () => undefined);
    if (this.connection) (await this.connection).closeSync();
  }

  /** Whether every write of the app up to `target` is in a table (or no longer pending). */
  private loadedUpTo(appId: string, target: number): boolean {
    for (const segment of this.list) {
      const file = segment.file;
      if (file && !file.loaded && file.seq <= target && file.apps.has(appId)) return false;
      const table = segment.apps.get(appId);
      const first = table?.loading[0] ?? table?.unloaded[0];
      if (first && first.seq <= target) return false;
    }
    return true;
  }

  /** Resolves the waiter when what it waits for is loaded; returns whether it still waits. */
  private settle(waiter: Waiter): boolean {
    if (!this.loadedUpTo(waiter.appId, waiter.target)) return true;
    waiter.resolve();
    return false;
  }

  private serially(task: () => Promise<void>): Promise<void> {
    const run = this.chain.then(task);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private connect(): Promise<DuckDBConnection> {
    this.connection ??= this.instance.connect();
    return this.connection;
  }

  private newSegment(
    number: number,
    partitions: Segment['partitions'],
    file?: Segment['file'],
    bytes = 0,
  ): Segment {
    const apps = new Map<string, AppTable>();
    return {
      number,
      path: this.segmentPath(number),
      partitions,
      bytes,
      apps,
      file,
      tables: (appId) => {
        const tables: PendingTable[] = [];
        if (file?.loaded && (appId === undefined || file.apps.has(appId))) {
          tables.push({ name: file.name, maxSeq: file.seq });
        }
        const chosen = appId === undefined ? [...apps.values()] : [apps.get(appId)];
        for (const table of chosen) {
          if (table && table.loadedSeq > 0) tables.push({ name: table.name, maxSeq: table.loadedSeq });
        }
        return tables;
      },
    };
  }

  private segment(number: number): Segment {
    const found = this.list.find((s) => s.number === number);
    if (found) return found;
    const created = this.newSegment(number, new Map());
    this.list = [...this.list, created].sort((a, b) => a.number - b.number);
    return created;
  }

  private appTable(segment: Segment, appId: string): AppTable {
    let table = segment.apps.get(appId);
    if (!table) {
      let n = this.appNumbers.get(appId);
      if (n === undefined) {
        n = this.appNumbers.size + 1;
        this.appNumbers.set(appId, n);
      }
      table = { name: `${this.prefix}${segment.number}_app_${n}`, loadedSeq: 0, loading: [], unloaded: [] };
      segment.apps.set(appId, table);
    }
    return table;
  }

  /** Loads for the waiting apps until none waits; a failure rejects the app's waiters. */
  private async load(): Promise<void> {
    try {
      for (;;) {
        this.waiters = this.waiters.filter((w) => this.settle(w));
        const next = this.waiters[0];
        if (!next) return;
        try {
          await this.loadApp(next.appId);
        } catch (err) {
          const failure = new Error(`Loading logged events into DuckDB failed: ${(err as Error).message}`, {
            cause: err,
          });
          for (const waiter of this.waiters.filter((w) => w.appId === next.appId)) waiter.reject(failure);
          this.waiters = this.waiters.filter((w) => w.appId !== next.appId);
        }
      }
    } finally {
      this.loading = undefined;
    }
  }

  /**
   * Loads every write of the app not in a table yet. What to load is taken in one synchronous
   * step, so a write committed later is in no table of this load: a table's newest `_seq` is
   * then always below the writes still to load into it. Taken writes count as not loaded
   * ({@link loadedUpTo}) until their insert is done.
   */
  private async loadApp(appId: string): Promise<void> {
    const connection = await this.connect();
    const files = this.list.filter((s) => s.file && !s.file.loaded && s.file.apps.has(appId));
    const taken = this.list.flatMap((segment) => {
      const table = segment.apps.get(appId);
      if (!table || table.unloaded.length === 0) return [];
      table.loading = table.unloaded;
      table.unloaded = [];
      return [table];
    });
    try {
      for (const segment of files) {
        const file = segment.file;
        if (!file || file.loaded) continue;
        await connection.run(
          `CREATE TABLE "${file.name}" AS SELECT *, ${file.seq}::BIGINT AS _seq FROM (${readLogLines([segment.path])})`,
        );
        file.loaded = true;
      }
      for (const table of taken) {
        await this.insert(connection, table, table.loading);
        table.loading = [];
      }
    } catch (err) {
      for (const table of taken) {
        table.unloaded = [...table.loading, ...table.unloaded];
        table.loading = [];
      }
      throw err;
    }
  }

  /** Inserts writes into an app's table, with the newest one's seq as their `_seq`. */
  private async insert(
    connection: DuckDBConnection,
    table: AppTable,
    writes: readonly Unloaded[],
  ): Promise<void> {
    const last = writes.at(-1);
    if (!last) return;
    const path = await stagingPath(this.dataDir, '.ndjson');
    try {
      const lines = writes.flatMap((w) => w.lines);
      const bytes = lines.reduce((sum, line) => sum + line.byteLength, 0);
      const handle = await open(path, 'w');
      try {
        const { bytesWritten } = await handle.writev(lines);
        if (bytesWritten !== bytes) throw new Error(`wrote ${bytesWritten} of ${bytes} bytes to ${path}`);
      } finally {
        await handle.close();
      }
      const select = `SELECT *, ${last.seq}::BIGINT AS _seq FROM (${readLogLines([path])})`;
      await connection.run(
        table.loadedSeq === 0
          ? `CREATE TABLE "${table.name}" AS ${select}`
          : `INSERT INTO "${table.name}" ${select}`,
      );
      table.loadedSeq = last.seq;
    } finally {
      await unlink(path).catch(() => undefined);
    }
  }
}
