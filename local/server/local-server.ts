import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import { DuckDBInstance } from '@duckdb/node-api';
import { createAdaptorServer } from '@hono/node-server';
import { lakeWindow } from '../../lambdas/core/lake-window';
import { logger } from '../../lambdas/core/logger';
import { MemoryKpiCache } from '../../lambdas/kpi/kpi-cache';
import { LOCAL_LAKE_START_SETTING } from '../cli/cli-flags';
import type { ProgressOutput } from '../cli/progress-bar';
import type { LocalConfig } from '../cli/server-config';
import { DashboardPage } from '../dashboard/dashboard-page';
import { DuckDbEngine } from '../duckdb/duckdb-engine';
import { LakeScanSizer } from '../duckdb/lake-scan-sizer';
import { Lake, type LakeOptions } from '../lake/lake';
import { LakeAppDirectory } from '../lake/lake-app-directory';
import { LakeKpiViews } from '../rollups/lake-kpi-views';
import { LakeRollups } from '../rollups/lake-rollups';
import { writeSampleData } from '../sample-data/sample-data';
import { listen } from './listen';
import { createLocalApp } from './local-app';
import { lowerPoolPriority, poolSize, restorePoolPriority } from './thread-priority';

export interface LocalServerOptions extends LocalConfig {
  /** The clock of both apps and of sample data. @default Date.now */
  readonly now?: () => number;
  /** Where the sample data progress bar draws. @default nowhere */
  readonly progress?: ProgressOutput;
  /**
   * When the lake converts its log to Parquet (see `local/lake/lake-maintenance.ts`), how far its
   * log may run ahead (`lake-sink.ts`), and its steps (tests). @default its defaults, and a
   * request waits 10 s at most for the log's backlog
   */
  readonly lake?: Pick<
    LakeOptions,
    'convertAfterMs' | 'convertAtBytes' | 'settleAfterMs' | 'maxBacklogBytes' | 'backlogWaitMs' | 'onStep'
  >;
  /** In-flight requests get this long to finish on close before their connections are cut (ms). @default 10000 */
  readonly closeGraceMs?: number;
}

export interface LocalServer {
  /** Where it listens, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly port: number;
  /** The lake folder, absolute. */
  readonly dataDir: string;
  /** Resolves once the lake is ready (sample data written); requests wait for it. */
  readonly ready: Promise<void>;
  /** Stops accepting, finishes in-flight requests, flushes, closes DuckDB, releases the data dir. */
  close(): Promise<void>;
}

/**
 * How many queries may run at once so that a thread of libuv's pool is always free for file
 * calls. Node runs file calls and DuckDB statements on that one pool (`UV_THREADPOOL_SIZE`,
 * default 4): with this many queries (each of them also loading the log's events) and the lake's
 * one maintenance worker running, one thread is left. The log's writes run on the main thread
 * (`lake-log.ts`); the bound also leaves more CPU to ingest when many queries arrive at once
 * (measured: docs/benchmarks.md).
 */
function queriesBesideTheLog(): number {
  return Math.max(1, poolSize() - 2);
}

/**
 * Starts the local server: the ingest doors and the KPI API (see `local-app.ts`) over DuckDB on
 * a lake folder. It lowers the priority of libuv's thread pool (DuckDB's work; see
 * `thread-priority.ts`), opens the lake (lock, what a stopped process left: journals, staging files,
 * log segments), listens, and then, when the lake is empty and sample data is on, writes the
 * `demo` app's history (requests wait for that). The lake converts its log and compacts in the
 * background from then on.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  // Before DuckDB starts (its threads inherit the priority of the pool thread that creates them).
  const lowered = await lowerPoolPriority();
  logger.debug('lowered the priority of the thread pool', { threads: lowered.length });
  // Queries leave one core to the HTTP server and the log (ingest never waits for a query).
  const threads = String(Math.max(1, availableParallelism() - 1));
  const instance = await DuckDBInstance.create(':memory:', { threads });
  const rollups = options.rollups ? new LakeRollups() : undefined;
  let lake: Lake;
  try {
    lake = await Lake.open({
      // A request waits at most this long for the log's backlog, then gets a 429 (ADR 029).
      backlogWaitMs: 10_000,
      ...options.lake,
      dataDir: options.dataDir,
      command: `a local server (port ${options.port})`,
      instance,
      ...(rollups ? { derivations: [rollups] } : {}),
    });
  } catch (err) {
    instance.closeSync();
    throw err;
  }
  const { dataDir, sink } = lake;
  const engine = new DuckDbEngine({ events: lake, instance, maxConcurrentQueries: queriesBesideTheLog() });
  const views = new LakeKpiViews({ lake, engine, rollups, sizer: new LakeScanSizer(instance) });
  const kpis = {
    view: (appId: string) => views.view(appId),
    ...(rollups ? { cache: new MemoryKpiCache() } : {}),
  };
  const stopSampleData = new AbortController();
  let startPreparing: (preparation: Promise<void>) => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    startPreparing = resolve;
  });
  ready.catch(() => undefined);
  const apps = new LakeAppDirectory({ lake });
  const page = new DashboardPage('local');
  const app = createLocalApp({
    sink,
    engine,
    ...kpis,
    lake: lakeWindow(options.lakeStartDate, LOCAL_LAKE_START_SETTING),
    allowedApps: options.allowedApps,
    apps,
    page,
    now: options.now,
    ready,
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const release = async () => {
    await lake.close();
    instance.closeSync();
  };
  let port: number;
  try {
    port = await listen(server, options.port, options.host);
  } catch (err) {
    await release();
    throw err;
  }
  startPreparing(
    (async () => {
      if (options.sampleData && !lake.holdsEvents()) {
        const signal = stopSampleData.signal;
        await writeSampleData({ instance, lake, now: options.now, progress: options.progress, signal });
      }
    })(),
  );
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    dataDir,
    ready,
    close: async () => {
      stopSampleData.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive connections that finish their request while closing go idle: close them too.
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      server.closeIdleConnections();
      const grace = setTimeout(() => server.closeAllConnections(), options.closeGraceMs ?? 10_000);
      await closed;
      clearInterval(sweep);
      clearTimeout(grace);
      // No request waits any more: what is left (conversion, settling) need not yield.
      restorePoolPriority(lowered);
      await ready.catch(() => undefined);
      await release();
    },
  };
}
