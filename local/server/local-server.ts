import type { Server } from 'node:http';
import { DuckDBInstance } from '@duckdb/node-api';
import { createAdaptorServer } from '@hono/node-server';
import { lakeWindow } from '../../lambdas/core/lake-window';
import { LOCAL_LAKE_START_SETTING } from '../cli/cli-flags';
import type { ProgressOutput } from '../cli/progress-bar';
import type { LocalConfig } from '../cli/server-config';
import { DashboardPage } from '../dashboard/dashboard-page';
import { DuckDbEngine } from '../duckdb/duckdb-engine';
import { LockedEngine } from '../duckdb/locked-engine';
import { Compactor } from '../lake/compactor';
import { LakeAppDirectory } from '../lake/lake-app-directory';
import { lakePartitions, parquetFiles } from '../lake/lake-files';
import { LakeSink } from '../lake/lake-sink';
import { openLake } from '../lake/open-lake';
import { ReadWriteLock } from '../lake/read-write-lock';
import { writeSampleData } from '../sample-data/sample-data';
import { listen } from './listen';
import { createLocalApp } from './local-app';

export interface LocalServerOptions extends LocalConfig {
  /** The clock of both apps and of sample data. @default Date.now */
  readonly now?: () => number;
  /** Where the sample data progress bar draws. @default nowhere */
  readonly progress?: ProgressOutput;
  /** Compact written partitions after this long without writes (ms). @default 5000 */
  readonly compactIdleMs?: number;
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

async function lakeIsEmpty(dataDir: string): Promise<boolean> {
  for (const partition of await lakePartitions(dataDir)) {
    if ((await parquetFiles(partition.dir)).length > 0) return false;
  }
  return true;
}

/**
 * Starts the local server: the ingest doors and the KPI API (see `local-app.ts`) over DuckDB on
 * a lake folder. It opens the lake (lock, leftovers, interrupted compactions), listens, and
 * then, when the lake is empty and sample data is on, writes the `demo` app's history (requests
 * wait for that); compaction runs in the background from then on.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const lake = await openLake(options.dataDir, `a local server (port ${options.port})`);
  const { dataDir } = lake;
  const instance = await DuckDBInstance.create(':memory:');
  const lakeLock = new ReadWriteLock();
  const compactor = new Compactor({ instance, dataDir, lock: lakeLock, idleMs: options.compactIdleMs });
  const sink = new LakeSink({ dataDir, instance, onWrite: (partitions) => compactor.touched(partitions) });
  const engine = new LockedEngine(new DuckDbEngine({ dataDir, instance }), lakeLock);
  const stopSampleData = new AbortController();
  let startPreparing: (preparation: Promise<void>) => void = () => undefined;
  const ready = new Promise<void>((resolve) => {
    startPreparing = resolve;
  });
  ready.catch(() => undefined);
  const apps = new LakeAppDirectory(dataDir);
  const page = new DashboardPage('local');
  const app = createLocalApp({
    sink,
    engine,
    lake: lakeWindow(options.lakeStartDate, LOCAL_LAKE_START_SETTING),
    allowedApps: options.allowedApps,
    apps,
    page,
    now: options.now,
    ready,
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const release = async () => {
    await sink.close();
    await compactor.stop();
    instance.closeSync();
    await lake.release();
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
      if (options.sampleData && (await lakeIsEmpty(dataDir))) {
        const signal = stopSampleData.signal;
        await writeSampleData({ instance, dataDir, now: options.now, progress: options.progress, signal });
      }
      void compactor.compactAll();
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
      await ready.catch(() => undefined);
      await release();
    },
  };
}
