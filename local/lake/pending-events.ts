import { rm, writeFile } from 'node:fs/promises';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EVENT_COLUMNS } from '../../lambdas/core/event-record';
import { duckdbType } from '../duckdb/duckdb-schema';
import { stagingPath } from './lake-files';
import { readLogLines, readLogPartitions } from './log-lines';

/**
 * The events that are in the log but not yet in Parquet. Queries read them from DuckDB tables
 * (one per log segment, in the shared in-memory database) beside the Parquet files; they are
 * loaded only when a query needs them: {@link PendingEvents.caughtUp} loads everything committed
 * before it, in one statement, so the very next query counts an acknowledged event while the
 * write path never waits for DuckDB, and a lake nobody queries never loads anything. The
 * conversion to Parquet reads a closed segment's table when it holds the whole segment, else
 * the segment's file ({@link PendingEvents.source}).
 *
 * Each row carries `_seq`, the commit sequence number of its load: a query reads rows up to
 * the number it pinned, so a load that lands while it runs does not show up half.
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
  /** Its NDJSON lines, each ending with a newline. */
  readonly text: string;
  /** The partitions its events belong to, by {@link partitionKey}. */
  readonly partitions: ReadonlyMap<string, PartitionKey>;
}

/** A log segment with events not yet in Parquet. */
export interface PendingSegment {
  readonly number: number;
  /** The segment's file. */
  readonly path: string;
  /** Its table, which holds the rows loaded so far. */
  readonly table: string;
  /** Whether the table exists (something was loaded); queries read only such segments. */
  readonly loaded: boolean;
  /** The newest seq committed per partition, by {@link partitionKey}; grows while the segment is open. */
  readonly partitions: ReadonlyMap<string, PartitionKey & { seq: number }>;
}

interface Segment extends PendingSegment {
  loaded: boolean;
  readonly partitions: Map<string, PartitionKey & { seq: number }>;
  /** Committed writes not in the table yet. */
  unloaded: CommittedWrite[];
  /** Nothing of the file is loaded yet (a segment a stopped process left), under this seq. */
  fileOnly: number | undefined;
}

const TABLE_COLUMNS = [
  ...EVENT_COLUMNS.map((c) => `"${c.name}" ${duckdbType(c.type)}`),
  'app_id VARCHAR',
  'dt VARCHAR',
  '_seq BIGINT',
].join(', ');

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** Tells the tables of two lakes sharing a DuckDB instance apart. */
let lakes = 0;

export class PendingEvents {
  private readonly prefix = `lake_${++lakes}_log_`;
  private list: readonly Segment[] = [];
  private loading: Promise<void> | undefined;
  /** Loads and drops, one after the other, so a table is never dropped while being loaded. */
  private chain: Promise<void> = Promise.resolve();
  private waiters: Waiter[] = [];
  private committedSeq = 0;
  private loaded = 0;
  private connection: Promise<DuckDBConnection> | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly dataDir: string,
    private readonly segmentPath: (segment: number) => string,
  ) {}

  /** The segments not yet converted, oldest first; a new array whenever one is added or removed. */
  get segments(): readonly PendingSegment[] {
    return this.list;
  }

  /** The newest seq whose events are all loaded. */
  get loadedSeq(): number {
    return this.loaded;
  }

  /** Takes a committed log write; it is loaded when a query needs it. */
  add(write: CommittedWrite): void {
    const segment = this.segment(write.segment);
    segment.unloaded.push(write);
    for (const [k, p] of write.partitions) segment.partitions.set(k, { ...p, seq: write.seq });
    this.committedSeq = write.seq;
  }

  /**
   * Takes a segment an earlier run left (see `LakeLog.open`), under the given seq: reads which
   * partitions it holds; its events are loaded when a query needs them. Fails when the file
   * holds something other than log lines.
   */
  async addFile(number: number, seq: number): Promise<void> {
    const connection = await this.connect();
    const path = this.segmentPath(number);
    const found = await connection.runAndReadAll(readLogPartitions(path));
    const segment = this.segment(number);
    for (const [appId, dt] of found.getRowsJson() as [string, string][]) {
      segment.partitions.set(partitionKey(appId, dt), { appId, dt, seq });
    }
    segment.fileOnly = seq;
    this.committedSeq = Math.max(this.committedSeq, seq);
  }

  /**
   * Loads every write committed before the call and resolves once it is; rejects when loading
   * failed (a later call tries again).
   */
  caughtUp(): Promise<void> {
    const target = this.committedSeq;
    if (this.loaded >= target) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ target, resolve, reject }));
    this.loading ??= this.serially(() => this.load());
    return done;
  }

  /** Forgets the segments (no new query reads them); their tables stay until {@link drop}. */
  remove(numbers: ReadonlySet<number>): PendingSegment[] {
    const removed = this.list.filter((s) => numbers.has(s.number));
    this.list = this.list.filter((s) => !numbers.has(s.number));
    return removed;
  }

  /** Drops the tables of removed segments, once no query reads them. */
  drop(segments: readonly PendingSegment[]): Promise<void> {
    return this.serially(async () => {
      const connection = await this.connect();
      for (const s of segments) await connection.run(`DROP TABLE IF EXISTS "${s.table}"`);
    });
  }

  /** Waits for the load or drop in progress and releases the connection. */
  async close(): Promise<void> {
    await this.serially(async () => undefined);
    if (this.connection) (await this.connection).closeSync();
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

  private segment(number: number): Segment {
    const found = this.list.find((s) => s.number === number);
    if (found) return found;
    const created: Segment = {
      number,
      table: `${this.prefix}${number}`,
      loaded: false,
      partitions: new Map(),
      path: this.segmentPath(number),
      unloaded: [],
      fileOnly: undefined,
    };
    this.list = [...this.list, created].sort((a, b) => a.number - b.number);
    return created;
  }

  private async load(): Promise<void> {
    try {
      while (this.loaded < this.committedSeq) {
        // Every write up to the target is in some segment's queue; a segment's batch may also
        // take writes committed since, which its rows' `_seq` then covers: every write up to the
        // newest seq loaded is loaded (writes go to segments in seq order).
        let upTo = this.committedSeq;
        for (const segment of this.list) upTo = Math.max(upTo, await this.loadSegment(segment));
        this.loaded = upTo;
        this.waiters = this.waiters.filter((w) => {
          if (w.target > this.loaded) return true;
          w.resolve();
          return false;
        });
      }
    } catch (err) {
      const failure = new Error(`Loading logged events into DuckDB failed: ${(err as Error).message}`, {
        cause: err,
      });
      for (const waiter of this.waiters.splice(0)) waiter.reject(failure);
    } finally {
      this.loading = undefined;
    }
  }

  /** Loads what of the segment is not in its table yet; returns the newest seq it loaded (0 for none). */
  private async loadSegment(segment: Segment): Promise<number> {
    const connection = await this.connect();
    if (segment.fileOnly !== undefined) {
      await connection.run(
        `CREATE TABLE "${segment.table}" AS SELECT *, ${segment.fileOnly}::BIGINT AS _seq FROM (${readLogLines([segment.path])})`,
      );
      segment.fileOnly = undefined;
      segment.loaded = true;
    }
    const writes = segment.unloaded;
    const last = writes.at(-1);
    if (!last) return 0;
    segment.unloaded = [];
    const file = await stagingPath(this.dataDir, '.ndjson');
    try {
      await writeFile(file, writes.map((w) => w.text).join(''));
      await connection.run(`CREATE TABLE IF NOT EXISTS "${segment.table}" (${TABLE_COLUMNS})`);
      await connection.run(
        `INSERT INTO "${segment.table}" SELECT *, ${last.seq} FROM (${readLogLines([file])})`,
      );
      segment.loaded = true;
    } catch (err) {
      segment.unloaded = [...writes, ...segment.unloaded];
      throw err;
    } finally {
      await rm(file, { force: true });
    }
    return last.seq;
  }
}
