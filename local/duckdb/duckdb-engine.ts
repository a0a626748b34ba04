import { join } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBValue,
} from '@duckdb/node-api';
import { EVENTS_PREFIX, EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import type { QueryEngine, QueryResult, Row, SqlParam } from '../../lambdas/core/query-engine';
import { sqlString } from '../../lambdas/core/sql-literal';
import { TRINO_MACROS } from './duckdb-macros';
import { type EventsParts, eventsViewSql, readsEvents } from './events-view';
import { type RollupFiles, rollupViewsSql, type ViewStatement } from './rollup-views';

/** What one query reads, held for the query's whole run. */
export interface PinnedEvents {
  readonly parts: EventsParts;
  /** The rollup tables' files (see `local/rollups/`). @default none: the rollup tables are empty */
  readonly rollups?: RollupFiles;
  release(): void;
}

/** Where the `events` view's rows come from: the live lake, or a folder of Parquet files. */
export interface EventsSource {
  /** Fixes what the next query reads; the engine releases it when the query is done. */
  pin(): Promise<PinnedEvents>;
}

export interface DuckDbEngineOptions {
  /**
   * What `events` reads: the live lake (`local/lake/lake.ts`), which also serves events still
   * in its log and keeps every file a query reads until it is done. @default the Parquet files
   * under `dataDir`, listed anew by each query
   */
  readonly events?: EventsSource;
  /** A lake folder read without a live lake (tests, benchmarks, a stopped server's lake). */
  readonly dataDir?: string;
  /** An open database to share, e.g. with the local lake. @default a new in-memory database */
  readonly instance?: DuckDBInstance;
  /** Queries beyond this many wait for one to finish (see `local-server.ts`). @default no limit */
  readonly maxConcurrentQueries?: number;
}

/** A connection set up (UTC, macros), with the statements of the views it holds now, by name. */
interface KeptConnection {
  readonly connection: DuckDBConnection;
  readonly views: Map<string, string>;
}

/**
 * Runs KPI SQL on embedded DuckDB over the local lake, the way Athena runs it over S3. Each
 * query runs on a connection set to UTC, with the Trino-named macros (set up once per
 * connection; a connection serves one query at a time and is kept for the next), and gets a
 * view `events` over what its pinned source reads (see `events-view.ts`) when its SQL names
 * `events`, and a view per rollup table it names (`rollup-views.ts`): an empty lake reads as
 * empty tables. A view is defined by its statement alone (the files it lists never change, a
 * rewrite gets a new name; DuckDB binds a view anew in every query that reads it), so a kept
 * connection that already holds a view with the very statement a query needs keeps it instead
 * of creating it again; any other statement (new files, a log table, a newer `_seq`) replaces
 * it. Parameters are bound, never spliced.
 */
export class DuckDbEngine implements QueryEngine {
  private readonly instance: Promise<DuckDBInstance>;
  private readonly events: EventsSource;
  private running = 0;
  private readonly queued: (() => void)[] = [];
  /** Connections set up (UTC, macros) and free for the next query: setting one up costs milliseconds. */
  private readonly idle: KeptConnection[] = [];

  constructor(private readonly options: DuckDbEngineOptions) {
    const limit = options.maxConcurrentQueries;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) {
      throw new Error(`maxConcurrentQueries must be a whole number of at least 1; got ${limit}`);
    }
    this.instance = options.instance ? Promise.resolve(options.instance) : DuckDBInstance.create(':memory:');
    if (options.events) {
      this.events = options.events;
    } else if (options.dataDir !== undefined) {
      this.events = folderSource(this.instance, options.dataDir);
    } else {
      throw new Error('DuckDbEngine needs the events to read: a live lake (events) or a folder (dataDir)');
    }
  }

  async query(sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
    const done = await this.slot();
    try {
      return await this.run(this.events, sql, params);
    } finally {
      done();
    }
  }

  /**
   * Waits for one of the `maxConcurrentQueries` slots and returns its release, for a caller
   * that runs several steps as one query (a KPI answer's pinned view, see
   * `local/rollups/lake-kpi-views.ts`) through {@link inSlot}.
   */
  async slot(): Promise<() => void> {
    await this.takeSlot();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseSlot();
    };
  }

  /** An engine over `events` on this database whose queries run in a slot the caller holds ({@link slot}). */
  inSlot(events: EventsSource): QueryEngine {
    return { query: (sql, params) => this.run(events, sql, params) };
  }

  /** Resolves once fewer than `maxConcurrentQueries` queries run (first come, first served). */
  private takeSlot(): Promise<void> {
    if (this.running < (this.options.maxConcurrentQueries ?? Number.POSITIVE_INFINITY)) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queued.push(resolve));
  }

  /** Hands the slot to the first waiting query, so no query started meanwhile can take it too. */
  private releaseSlot(): void {
    const next = this.queued.shift();
    if (next) next();
    else this.running -= 1;
  }

  private async run(events: EventsSource, sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
    const pinned = await events.pin();
    const kept = await this.connection().catch((err: unknown) => {
      pinned.release();
      throw err;
    });
    const { connection } = kept;
    let reusable = false;
    try {
      const views: ViewStatement[] = [
        ...(readsEvents(sql) ? [{ name: EVENTS_TABLE, sql: eventsViewSql(pinned.parts) }] : []),
        ...rollupViewsSql(sql, pinned.rollups ?? new Map()),
      ];
      const changed = views.filter((view) => kept.views.get(view.name) !== view.sql);
      if (changed.length > 0) {
        // Forgotten first: a statement that fails leaves the connection closed, not half known.
        for (const view of changed) kept.views.delete(view.name);
        await connection.run(`${changed.map((view) => view.sql).join(';\n')};`);
        for (const view of changed) kept.views.set(view.name, view.sql);
      }
      const statement = await connection.prepare(sql);
      params.forEach((value, i) => {
        if (typeof value === 'string') statement.bindVarchar(i + 1, value);
        else if (Number.isSafeInteger(value)) statement.bindBigInt(i + 1, BigInt(value));
        else statement.bindDouble(i + 1, value);
      });
      const reader = await statement.runAndReadAll();
      reusable = true;
      return { rows: reader.getRowObjects().map(toRow) };
    } finally {
      // A connection whose query failed is not kept: nothing it was left in is carried over.
      if (reusable && this.idle.length < MAX_IDLE_CONNECTIONS) this.idle.push(kept);
      else connection.closeSync();
      pinned.release();
    }
  }

  /** An idle connection, or a new one set to UTC with the macros. */
  private async connection(): Promise<KeptConnection> {
    const kept = this.idle.pop();
    if (kept) return kept;
    const connection = await (await this.instance).connect();
    try {
      await connection.run(`SET TimeZone = 'UTC';\n${TRINO_MACROS.join(';\n')};`);
      return { connection, views: new Map() };
    } catch (err) {
      connection.closeSync();
      throw err;
    }
  }

  /** Closes the kept connections and the database, unless it was given to the engine (then its owner closes it). */
  async close(): Promise<void> {
    for (const { connection } of this.idle.splice(0)) connection.closeSync();
    if (!this.options.instance) (await this.instance).closeSync();
  }
}

/** Connections kept for later queries, at most (as many as usually run at once). */
const MAX_IDLE_CONNECTIONS = 4;

/** The Parquet files under a lake folder, globbed by each query (nothing to hold). */
function folderSource(instance: Promise<DuckDBInstance>, dataDir: string): EventsSource {
  const glob = join(dataDir, EVENTS_PREFIX, 'app_id=*', 'dt=*', '*.parquet');
  return {
    pin: async () => {
      const connection = await (await instance).connect();
      try {
        const found = await connection.runAndReadAll(`SELECT file FROM glob(${sqlString(glob)}) LIMIT 1`);
        return { parts: { parquet: found.currentRowCount > 0 ? glob : undefined }, release: () => undefined };
      } finally {
        connection.closeSync();
      }
    },
  };
}

function toValue(value: DuckDBValue): Row[string] {
  if (
    value === null ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBDateValue) return value.toString();
  return String(value);
}

function toRow(row: Record<string, DuckDBValue>): Row {
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, toValue(value)]));
}
