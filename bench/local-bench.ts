/**
 * Local-mode benchmark: a fresh `npm start` to its first DAU answer, sample data generation
 * rate, ingest throughput through the HTTP server (loopback, a bounded number of requests),
 * and KPI latency over a sample lake with many small files per day and after compaction.
 *
 *   npx tsx bench/local-bench.ts [--events N]   # markdown tables, then the figures as JSON
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DuckDBInstance } from '@duckdb/node-api';
import { utcDay } from '../lambdas/core/calendar-day';
import { DEFAULT_LAKE_START_DATE, lakeWindow } from '../lambdas/core/lake-window';
import { DAY_MS } from '../lambdas/core/time';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const ROOT = join(__dirname, '..');
const FRAGMENTS_PER_DAY = 24;
const KPI_RUNS = 7;
const KPIS = ['/kpis/dau/count', '/kpis/mau/count', '/kpis/day-1-retention/count'];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;
const mib = (bytes: number) => Math.round(bytes / 104_857.6) / 10;

/** `npm start` on an empty data dir, as a child process: time to the banner and to the first DAU answer. */
async function freshStart(dataDir: string) {
  const started = performance.now();
  const child = spawn(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['local/cli/start.ts', '--port', '0', '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
  });
  const bannerMs = performance.now() - started;
  const response = await fetch(`${url}/apps/demo/kpis/dau/count`);
  const body = (await response.json()) as { values: { value: number }[] };
  const firstDauMs = performance.now() - started;
  const nonZeroDays = body.values.filter((v) => v.value > 0).length;
  const stopping = performance.now();
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  return { bannerMs, firstDauMs, nonZeroDays, stopMs: performance.now() - stopping, exitCode };
}

/** Splits every partition's file into FRAGMENTS_PER_DAY files, as a busy server's sink leaves them before compaction. */
async function fragment(instance: DuckDBInstance, dataDir: string): Promise<void> {
  const { lakePartitions, parquetFiles } = await import('../local/lake/lake-files');
  const staging = join(dataDir, '.staging', 'fragments');
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * EXCLUDE (app_id, dt), app_id, dt, hash(event_id) % ${FRAGMENTS_PER_DAY} AS fragment
           FROM read_parquet('${dataDir}/events/*/*/*.parquet', hive_partitioning = true))
     TO '${staging}' (FORMAT parquet, PARTITION_BY (app_id, dt, fragment))`,
  );
  connection.closeSync();
  for (const partition of await lakePartitions(dataDir)) {
    for (const name of await parquetFiles(partition.dir)) await rm(join(partition.dir, name));
    const source = join(staging, `app_id=${partition.appId}`, `dt=${partition.dt}`);
    for (let f = 0; f < FRAGMENTS_PER_DAY; f++) {
      await rename(
        join(source, `fragment=${f}`, 'data_0.parquet'),
        join(partition.dir, `fragment-${f}.parquet`),
      );
    }
  }
  await rm(staging, { recursive: true });
}

async function kpiLatency(instance: DuckDBInstance, dataDir: string) {
  const { createKpiApp } = await import('../lambdas/kpi/kpi-app');
  const { DuckDbEngine } = await import('../local/duckdb/duckdb-engine');
  const { LakeAppDirectory } = await import('../local/lake/lake-app-directory');
  const app = createKpiApp({
    engine: new DuckDbEngine({ dataDir, instance }),
    lake: lakeWindow(DEFAULT_LAKE_START_DATE),
    apps: new LakeAppDirectory({ dataDir }),
  });
  const result: Record<string, number> = {};
  for (const path of KPIS) {
    const times: number[] = [];
    for (let run = 0; run < KPI_RUNS; run++) {
      const started = performance.now();
      const response = await app.request(`/apps/demo${path}`);
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      await response.json();
      times.push(performance.now() - started);
    }
    result[path] = Math.round(median(times));
  }
  return result;
}

/** Sends `requests` door requests of 100 events each, `concurrency` at a time, over loopback HTTP. */
async function ingest(
  url: string,
  door: 'pinpoint' | 'mobile-analytics',
  requests: number,
  concurrency: number,
) {
  const day = utcDay(Date.now() - DAY_MS);
  const request = (n: number): RequestInit & { path: string } => {
    const events = Array.from({ length: 100 }, (_, i) => ({
      type: i === 0 ? '_session.start' : 'level_complete',
      timestamp: new Date(Date.parse(`${day}T00:00:00Z`) + n * 100 + i).toISOString(),
    }));
    if (door === 'pinpoint') {
      const Events = Object.fromEntries(
        events.map((e, i) => [
          `e${i}`,
          {
            EventType: e.type,
            Timestamp: e.timestamp,
            Metrics: { score: i },
            Attributes: { level: String(i) },
          },
        ]),
      );
      return {
        path: '/v1/apps/bench/events',
        method: 'POST',
        body: JSON.stringify({ BatchItem: { [`device-${n}`]: { Events } } }),
      };
    }
    const context = {
      client: { client_id: `ma-device-${n}`, app_title: 'Bench' },
      env: { platform: 'Android' },
      services: { mobile_analytics: { app_id: 'bench' } },
    };
    return {
      path: '/2014-06-05/events',
      method: 'POST',
      headers: { 'x-amz-client-context': JSON.stringify(context) },
      body: JSON.stringify({
        events: events.map((e, i) => ({ eventType: e.type, timestamp: e.timestamp, metrics: { score: i } })),
      }),
    };
  };
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let n = next++; n < requests; n = next++) {
        const { path, ...init } = request(n);
        const sent = performance.now();
        const response = await fetch(`${url}${path}`, init);
        await response.arrayBuffer();
        if (response.status !== 202) throw new Error(`${door}: ${response.status}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    door,
    events: requests * 100,
    eventsPerSecond: Math.round((requests * 100) / seconds),
    p50Ms: Math.round(percentile(latencies, 50)),
    p95Ms: Math.round(percentile(latencies, 95)),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' } } });
  const events = Number(values.events);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { writeSampleData } = await import('../local/sample-data/sample-data');
  const { lakeStats } = await import('../local/lake/lake-files');
  const { Lake } = await import('../local/lake/lake');
  const { startLocalServer } = await import('../local/server/local-server');
  const work = await mkdtemp(join(tmpdir(), 'local-bench-'));
  try {
    const start = await freshStart(join(work, 'fresh'));
    const freshLake = await lakeStats(join(work, 'fresh'));

    const instance = await DuckDBInstance.create(':memory:');
    const lake = join(work, 'sample');
    let started = performance.now();
    const sampleLake = await Lake.open({ dataDir: lake, command: 'the local benchmark', instance });
    const sample = await writeSampleData({ instance, lake: sampleLake, events });
    await sampleLake.close();
    const sampleSeconds = (performance.now() - started) / 1000;
    const sampleStats = await lakeStats(lake);
    const compactedLatency = await kpiLatency(instance, lake);
    await fragment(instance, lake);
    const fragmentedLake = await lakeStats(lake);
    const fragmentedLatency = await kpiLatency(instance, lake);
    started = performance.now();
    const compactingLake = await Lake.open({ dataDir: lake, command: 'the local benchmark', instance });
    await compactingLake.compactAll();
    await compactingLake.close();
    const compactSeconds = (performance.now() - started) / 1000;
    const recompactedLake = await lakeStats(lake);
    const recompactedLatency = await kpiLatency(instance, lake);
    instance.closeSync();

    const server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: join(work, 'ingest'),
      sampleData: false,
      rollups: true,
      lakeStartDate: DEFAULT_LAKE_START_DATE,
    });
    await server.ready;
    await ingest(server.url, 'pinpoint', 50, 4);
    const ingestRuns = [
      await ingest(server.url, 'pinpoint', 400, 8),
      await ingest(server.url, 'mobile-analytics', 400, 8),
    ];
    await server.close();

    const figures = {
      node: process.version,
      freshStart: { ...start, lake: freshLake },
      sampleData: {
        events: sample.events,
        seconds: sampleSeconds,
        eventsPerSecond: Math.round(sample.events / sampleSeconds),
        lake: sampleStats,
      },
      kpiLatencyMs: {
        oneFilePerDay: compactedLatency,
        fragmented: fragmentedLatency,
        afterCompaction: recompactedLatency,
      },
      compaction: { seconds: compactSeconds, before: fragmentedLake, after: recompactedLake },
      ingest: ingestRuns,
    };
    console.log(`Node ${process.version}, ${process.arch}\n`);
    console.log('| measure | value |\n|---|---:|');
    console.log(
      `| fresh \`npm start\` (tsx, sample data) to banner | ${(start.bannerMs / 1000).toFixed(1)} s |`,
    );
    console.log(
      `| fresh \`npm start\` to first DAU answer (${start.nonZeroDays}/30 days non-zero) | ${(start.firstDauMs / 1000).toFixed(1)} s |`,
    );
    console.log(`| sample lake of the fresh start | ${freshLake.files} files, ${mib(freshLake.bytes)} MiB |`);
    console.log(`| SIGTERM to exit (code ${start.exitCode}) | ${Math.round(start.stopMs)} ms |`);
    console.log(
      `| sample data, ${sample.events.toLocaleString('en-US')} events | ${Math.round(sample.events / sampleSeconds).toLocaleString('en-US')} events/s (${sampleSeconds.toFixed(1)} s), ${mib(sampleStats.bytes)} MiB |`,
    );
    console.log(
      `| compaction of ${fragmentedLake.files} files into ${recompactedLake.files} | ${compactSeconds.toFixed(1)} s, ${mib(fragmentedLake.bytes)} MiB -> ${mib(recompactedLake.bytes)} MiB |`,
    );
    console.log(
      '\n| KPI (default 30 days) | 1 file/day (sample) | 24 files/day | after compaction |\n|---|---:|---:|---:|',
    );
    for (const path of KPIS) {
      console.log(
        `| ${path} | ${compactedLatency[path]} ms | ${fragmentedLatency[path]} ms | ${recompactedLatency[path]} ms |`,
      );
    }
    console.log(
      '\n| ingest over HTTP (100 events a request, 8 concurrent) | events/s | p50 | p95 |\n|---|---:|---:|---:|',
    );
    for (const run of ingestRuns) {
      console.log(
        `| ${run.door}, ${run.events.toLocaleString('en-US')} events | ${run.eventsPerSecond.toLocaleString('en-US')} | ${run.p50Ms} ms | ${run.p95Ms} ms |`,
      );
    }
    console.log(`\n${JSON.stringify(figures, null, 2)}`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
