import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { EVENT_COLUMNS } from '../../lambdas/core/event-record';
import { sqlString } from '../../lambdas/core/sql-literal';
import { duckdbType } from '../duckdb/duckdb-schema';

/**
 * The events that are in the log but not yet in Parquet, as DuckDB tables (one per log
 * segment, `lake_<n>_log_<number>`, in the shared in-memory database) that the `events` view reads
 * beside the Parquet files. A committed log write is handed over with {@link PendingEvents.add}
 * and loaded in the background, several writes in one statement; a query first waits with
 * {@link PendingEvents.caughtUp} for what was committed before it, so the very next query
 * counts an acknowledged event, while the write path never waits for DuckDB.
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

export interface PendingSegment {
  readonly number: number;
  readonly table: string;
  /** The newest seq loaded per partition, by {@link partitionKey}; grows while the segment is open. */
  readonly partitions: Map<string, PartitionKey & { seq: number }>;
}

const key = (name: string, jsonKey?: string) => `"${jsonKey ?? name}"`;
const STRUCTURE = sqlString(
  JSON.stringify({
    ...Object.fromEntries(EVENT_COLUMNS.map((c) => [c.jsonKey ?? c.name, duckdbType(c.type)])),
    app_id: 'VARCHAR',
    dt: 'VARCHAR',
  }),
);
const TABLE_COLUMNS = [
  ...EVENT_COLUMNS.map((c) => `"${c.name}" ${duckdbType(c.type)}`),
  'app_id VARCHAR',
  'dt VARCHAR',
  '_seq BIGINT',
].join(', ');
const FROM_JSON = [...EVENT_COLUMNS.map((c) => `r.${key(c.name, c.jsonKey)}`), 'r.app_id', 'r.dt'].join(', ');

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** Tells the tables of two lakes sharing a DuckDB instance apart. */
let lakes = 0;

export class PendingEvents {
  private readonly prefix = `lake_${++lakes}_log_`;
  private list: readonly PendingSegment[] = [];
  private queue: CommittedWrite[] = [];
  private loading: Promise<void> | undefined;
  private waiters: Waiter[] = [];
  private committedSeq = 0;
  private loaded = 0;
  private connection: Promise<DuckDBConnection> | undefined;

  constructor(private readonly instance: DuckDBInstance) {}

  /** The segments with loaded events, oldest first; a new array whenever one is added or removed. */
  get segments(): readonly PendingSegment[] {
    return this.list;
  }

  /** The newest seq whose events are all loaded. */
  get loadedSeq(): number {
    return this.loaded;
  }

  /** Takes a committed log write; it is loaded in the background. */
  add(write: CommittedWrite): void {
    this.queue.push(write);
    this.committedSeq = write.seq;
    this.loading ??= this.load();
  }

  /** Loads a segment an earlier run left (see `LakeLog.open`) under the given seq; waits for it. */
  async addSegment(segment: number, seq: number, text: string): Promise<void> {
    await this.insert(segment, seq, text);
    const found = await (await this.connect()).runAndReadAll(
      `SELECT DISTINCT app_id, dt FROM ${this.table(segment)}`,
    );
    const pending = this.segment(segment);
    for (const [appId, dt] of found.getRowsJson() as [string, string][]) {
      pending.partitions.set(partitionKey(appId, dt), { appId, dt, seq });
    }
    this.committedSeq = Math.max(this.committedSeq, seq);
    this.loaded = Math.max(this.loaded, seq);
  }

  /**
   * Resolves once every write committed before the call is loaded; rejects when loading
   * failed (a later call tries again).
   */
  caughtUp(): Promise<void> {
    const target = this.committedSeq;
    if (this.loaded >= target) return Promise.resolve();
    this.loading ??= this.load();
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  /** Forgets the segments (no new query reads them); their tables stay until {@link drop}. */
  remove(numbers: ReadonlySet<number>): PendingSegment[] {
    const removed = this.list.filter((s) => numbers.has(s.number));
    this.list = this.list.filter((s) => !numbers.has(s.number));
    return removed;
  }

  /** Drops the tables of removed segments, once no query reads them. */
  async drop(segments: readonly PendingSegment[]): Promise<void> {
    const connection = await this.connect();
    for (const s of segments) await connection.run(`DROP TABLE IF EXISTS ${s.table}`);
  }

  /** Waits for the load in progress and releases the connection. */
  async close(): Promise<void> {
    await this.loading;
    if (this.connection) (await this.connection).closeSync();
  }

  private connect(): Promise<DuckDBConnection> {
    this.connection ??= this.instance.connect();
    return this.connection;
  }

  /** The DuckDB table of a log segment's events. */
  private table(segment: number): string {
    return `${this.prefix}${segment}`;
  }

  private segment(number: number): PendingSegment {
    const found = this.list.find((s) => s.number === number);
    if (found) return found;
    const created: PendingSegment = { number, table: this.table(number), partitions: new Map() };
    this.list = [...this.list, created].sort((a, b) => a.number - b.number);
    return created;
  }

  private async insert(segment: number, seq: number, text: string): Promise<void> {
    const connection = await this.connect();
    const table = this.table(segment);
    await connection.run(`CREATE TABLE IF NOT EXISTS ${table} (${TABLE_COLUMNS})`);
    await connection.run(
      `INSERT INTO ${table} SELECT ${FROM_JSON}, $2 FROM (
         SELECT json_transform(line, ${STRUCTURE}) AS r FROM (SELECT unnest(string_split($1, chr(10))) AS line) WHERE line <> '')`,
      [text, seq],
    );
  }

  private async load(): Promise<void> {
    while (this.queue.length > 0) {
      const segment = this.queue[0]?.segment;
      const end = this.queue.findIndex((w) => w.segment !== segment);
      const batch = this.queue.slice(0, end < 0 ? this.queue.length : end);
      const last = batch.at(-1);
      if (segment === undefined || !last) break;
      try {
        await this.insert(segment, last.seq, batch.map((w) => w.text).join(''));
      } catch (err) {
        this.loading = undefined;
        const failure = new Error(`Loading logged events into DuckDB failed: ${(err as Error).message}`, {
          cause: err,
        });
        for (const waiter of this.waiters.splice(0)) waiter.reject(failure);
        return;
      }
      this.queue.splice(0, batch.length);
      const pending = this.segment(segment);
      for (const write of batch) {
        for (const [k, p] of write.partitions) pending.partitions.set(k, { ...p, seq: last.seq });
      }
      this.loaded = last.seq;
      this.waiters = this.waiters.filter((w) => {
        if (w.target > this.loaded) return true;
        w.resolve();
        return false;
      });
    }
    this.loading = undefined;
  }
}
