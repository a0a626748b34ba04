/**
 * Rollups against raw events, side by side on one lake (docs/ROLLUPS.md, docs/benchmarks.md):
 *
 * 1. every KPI over 30 days in-process, from raw events and from rollups, alternating;
 * 2. the all-history KPIs over 30 days early and late in the lake's history;
 * 3. a 17-series, 30-day dashboard over HTTP against `npm start` with and without rollups
 *    (`--no-rollups`), six requests at a time as a browser sends them, and each server's peak RSS;
 * 4. the bytes Athena would scan per KPI, from the files' Parquet footers (the column chunks a
 *    query reads), scaled to 1M events a day and two years of history: as the KPI SQL read them
 *    before rollups (every day raw, padded by a day on each side) and with rollups, in UTC and
 *    in a zone whose UTC days are not local days.
 *
 *   npx tsx bench/rollup-bench.ts [--data-dir <lake>] [--runs N] [--only kpis,dashboard,athena]
 *   npx tsx bench/rollup-bench.ts --data-dir <lake> --dashboard-only [--loads N] [--before [<label>=]<checkout>]
 *
 * `--dashboard-only` runs part 3 with rollups only: this checkout's server and, with `--before`
 * (repeatable), the servers of other checkouts (e.g. `git worktree add /tmp/before main`, with
 * its `node_modules`), taking turns load by load on the same lake so that a noisy machine weighs
 * on them alike; `--loads` sets how many loads each server answers (default 3, each measured).
 *
 * The lake defaults to $ROLLUP_BENCH_LAKE, else a 1M-event sample lake made in a temporary
 * folder. Make the 10M-event one with
 * `npm run sample-data -- --events 10000000 --days 90 --data-dir /tmp/bench10m`. Rollups are
 * brought up to date first, as the server does on start.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const ROOT = join(__dirname, '..');
const NAMES = { eventName: 'level_complete', metric: 'score', attribute: 'level' };
const DASHBOARD = [
  '/kpis/new-users/lifetime-count',
  '/kpis/dau/count',
  '/kpis/mau/count',
  '/kpis/new-users/count',
  '/kpis/sessions/count',
  '/kpis/daily-revenue/sum',
  '/kpis/pdau/count',
  '/kpis/pmau/count',
  '/kpis/day-1-retention/count',
  '/kpis/day-3-retention/count',
  '/kpis/day-5-retention/count',
  '/kpis/day-7-retention/count',
  '/kpis/week-1-retention/count',
  '/kpis/week-2-retention/count',
  '/kpis/week-3-retention/count',
  '/events/level_complete/count',
  '/events/level_complete/metrics/score/avg',
];
const HISTORY_KPIS = [
  '/kpis/new-users/lifetime-count',
  '/kpis/new-users/count',
  '/kpis/pdau/count',
  '/kpis/pmau/count',
];
/** Scale of the Athena estimate. */
const EVENTS_PER_DAY = 1_000_000;
const HISTORY_DAYS = 730;
const MIB = 1_048_576;
/** Linux's USER_HZ, the unit of a process's CPU times in /proc. */
const CLOCK_TICKS_PER_SECOND = 100;
/** Athena bills at least 10 MB a query. */
const ATHENA_MINIMUM_BYTES = 10_000_000;

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, (_, n: keyof typeof NAMES) => NAMES[n]);
const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function loadAverage(): Promise<string> {
  return (await readFile('/proc/loadavg', 'utf8').catch(() => '? ? ?')).split(' ').slice(0, 3).join(' ');
}

interface Lake {
  readonly dataDir: string;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly events: number;
  readonly remove?: () => Promise<void>;
}

async function prepareLake(dataDir: string | undefined): Promise<Lake> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { Lake: LocalLake } = await import('../local/lake/lake');
  const { LakeRollups } = await import('../local/rollups/lake-rollups');
  const { writeSampleData } = await import('../local/sample-data/sample-data');
  let dir = dataDir;
  let remove: (() => Promise<void>) | undefined;
  const instance = await DuckDBInstance.create(':memory:');
  try {
    if (!dir) {
      dir = await mkdtemp(join(tmpdir(), 'rollup-bench-'));
      const made = dir;
      remove = () => rm(made, { recursive: true, force: true });
      process.stderr.write(`No --data-dir: writing a 1M-event sample lake into ${dir}\n`);
      const empty = await LocalLake.open({ dataDir: dir, command: 'the rollup benchmark', instance });
      await writeSampleData({ instance, lake: empty, events: 1_000_000 }).finally(() => empty.close());
    }
    process.stderr.write('Bringing the rollups up to date (as the server does on start)...\n');
    const lake = await LocalLake.open({
      dataDir: dir,
      command: 'the rollup benchmark',
      instance,
      derivations: [new LakeRollups()],
    });
    try {
      await lake.compactAll();
      const connection = await instance.connect();
      const glob = join(lake.dataDir, 'events', 'app_id=demo', 'dt=*', '*.parquet');
      const [row] = (
        await connection.runAndReadAll(
          `SELECT count(*) AS n, min(dt) AS first, max(dt) AS last FROM read_parquet('${glob}', hive_partitioning = true)`,
        )
      ).getRowObjects();
      connection.closeSync();
      return {
        dataDir: lake.dataDir,
        firstDay: String(row?.first ?? ''),
        lastDay: String(row?.last ?? ''),
        events: Number(row?.n ?? 0),
        ...(remove ? { remove } : {}),
      };
    } finally {
      await lake.close();
    }
  } finally {
    instance.closeSync();
  }
}

/** The lake opened with its rollups, for in-process measurements; `close` releases it. */
async function openLake(lake: Lake) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { Lake: LocalLake } = await import('../local/lake/lake');
  const { LakeRollups } = await import('../local/rollups/lake-rollups');
  const instance = await DuckDBInstance.create(':memory:');
  const rollups = new LakeRollups();
  const opened = await LocalLake.open({
    dataDir: lake.dataDir,
    command: 'the rollup benchmark',
    instance,
    derivations: [rollups],
  });
  return {
    instance,
    lake: opened,
    rollups,
    close: async () => {
      await opened.close();
      instance.closeSync();
    },
  };
}

interface KpiFigures {
  readonly path: string;
  readonly rawMs: number;
  readonly rollupMs: number;
  readonly rawBytes: number;
  readonly rollupBytes: number;
}

async function kpiLatencies(lake: Lake, runs: number) {
  const { createKpiApp } = await import('../lambdas/kpi/kpi-app');
  const { KPI_ROUTES } = await import('../lambdas/kpi/kpi-routes');
  const { DuckDbEngine } = await import('../local/duckdb/duckdb-engine');
  const { LakeScanSizer } = await import('../local/duckdb/lake-scan-sizer');
  const { LakeKpiViews } = await import('../local/rollups/lake-kpi-views');
  const { LakeAppDirectory } = await import('../local/lake/lake-app-directory');
  const { DEFAULT_LAKE_START_DATE, lakeWindow } = await import('../lambdas/core/lake-window');
  const opened = await openLake(lake);
  const { instance } = opened;
  const sizer = new LakeScanSizer(instance);
  const engine = new DuckDbEngine({ events: opened.lake, instance });
  const views = {
    raw: new LakeKpiViews({ lake: opened.lake, engine, sizer }),
    rollup: new LakeKpiViews({ lake: opened.lake, engine, sizer, rollups: opened.rollups }),
  };
  const now = () => Date.parse(`${addDays(lake.lastDay, 1)}T12:00:00Z`);
  const deps = {
    engine,
    lake: lakeWindow(DEFAULT_LAKE_START_DATE),
    apps: new LakeAppDirectory({ lake: opened.lake }),
    now,
  };
  const apps = {
    raw: createKpiApp({ ...deps, view: (appId: string) => views.raw.view(appId) }),
    rollup: createKpiApp({ ...deps, view: (appId: string) => views.rollup.view(appId) }),
  };
  const ask = async (app: (typeof apps)['raw'], url: string) => {
    const started = performance.now();
    const response = await app.request(url);
    const body = (await response.json()) as {
      bytesScanned?: number;
      values: unknown[];
      source: { raw: string[] };
    };
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  const perKpi: KpiFigures[] = [];
  for (const route of KPI_ROUTES) {
    const url = `${concrete(route.path.replace('{appId}', 'demo'))}?timezone=UTC`;
    const times = { raw: [] as number[], rollup: [] as number[] };
    let rawBytes = 0;
    let rollupBytes = 0;
    for (let run = 0; run < runs; run++) {
      const raw = await ask(apps.raw, url);
      const rollup = await ask(apps.rollup, url);
      if (
        JSON.stringify(raw.body.values) !== JSON.stringify(rollup.body.values) &&
        !route.path.includes('/avg') &&
        !route.path.includes('/sum')
      ) {
        throw new Error(`${route.path}: rollups and raw events disagree`);
      }
      if (rollup.body.source.raw.length > 0)
        throw new Error(`${route.path}: not every day came from rollups`);
      times.raw.push(raw.ms);
      times.rollup.push(rollup.ms);
      rawBytes = raw.body.bytesScanned ?? 0;
      rollupBytes = rollup.body.bytesScanned ?? 0;
    }
    perKpi.push({
      path: route.path,
      rawMs: median(times.raw),
      rollupMs: median(times.rollup),
      rawBytes,
      rollupBytes,
    });
    process.stderr.write('.');
  }
  const history: { path: string; end: string; rawMs: number; rollupMs: number }[] = [];
  for (const end of [addDays(lake.firstDay, 59), lake.lastDay]) {
    for (const path of HISTORY_KPIS) {
      const url = `${path.replace('{appId}', 'demo')}?timezone=UTC&startDate=${addDays(end, -29)}&endDate=${end}`;
      const times = { raw: [] as number[], rollup: [] as number[] };
      for (let run = 0; run < runs; run++) {
        times.raw.push((await ask(apps.raw, `/apps/demo${url}`)).ms);
        times.rollup.push((await ask(apps.rollup, `/apps/demo${url}`)).ms);
      }
      history.push({ path, end, rawMs: median(times.raw), rollupMs: median(times.rollup) });
    }
  }
  process.stderr.write('\n');
  await opened.close();
  return { perKpi, history };
}

/** `npm start` on the lake as a child process; resolves with its URL once it listens. */
async function startServer(dataDir: string, rollups: boolean, checkout = ROOT) {
  const args = [
    '--import',
    'tsx',
    'local/cli/start.ts',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--no-sample-data',
  ];
  const child = spawn(process.execPath, rollups ? args : [...args, '--no-rollups'], {
    cwd: checkout,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
  });
  const peakRssMib = async () => {
    const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
  };
  /** CPU time the server has used so far, all its threads (DuckDB's included), in ms. */
  const cpuMs = async () => {
    const fields = (await readFile(`/proc/${child.pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) || 0) + (Number(fields[12]) || 0)) * (1000 / CLOCK_TICKS_PER_SECOND);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      child.on('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { url, peakRssMib, cpuMs, stop };
}

interface DashboardLoad {
  readonly totalMs: number;
  /** CPU time the server used for the load (less noisy than its wall time on a shared machine). */
  readonly serverCpuMs: number;
  /** Each series' time from request to the end of its body. */
  readonly series: ReadonlyMap<string, number>;
}

/** The 17 series of the 30 days ending `end`, six requests at a time as a browser sends them. */
async function loadDashboard(
  server: Awaited<ReturnType<typeof startServer>>,
  end: string,
): Promise<DashboardLoad> {
  const { url } = server;
  const queue = [...DASHBOARD];
  const cpu = await server.cpuMs();
  const series = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      for (let path = queue.shift(); path; path = queue.shift()) {
        const sent = performance.now();
        const response = await fetch(`${url}/apps/demo${path}?startDate=${addDays(end, -29)}&endDate=${end}`);
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
        series.set(path, performance.now() - sent);
      }
    }),
  );
  const totalMs = performance.now() - started;
  return { totalMs, serverCpuMs: (await server.cpuMs()) - cpu, series };
}

interface DashboardFigures {
  readonly totalMs: number;
  readonly serverCpuMs: number;
  readonly slowest: { readonly path: string; readonly ms: number };
  /** Median time of each series over the measured loads. */
  readonly seriesMs: Record<string, number>;
  readonly repeatMs: number;
  readonly peakRssMib: number;
}

/**
 * One server's dashboard loads: a first load that warms it up (JIT, footers, zone offsets) and
 * is not counted, then `loads` loads of ranges not asked before, then the first range again.
 */
async function dashboardLoads(
  server: Awaited<ReturnType<typeof startServer>>,
  lastDay: string,
  loads: number,
): Promise<{ loads: DashboardLoad[]; repeatMs: number; peakRssMib: number }> {
  const measured: DashboardLoad[] = [];
  for (let load = 0; load <= loads; load++) {
    const done = await loadDashboard(server, addDays(lastDay, -load));
    if (load > 0) measured.push(done);
  }
  const repeat = performance.now();
  await Promise.all(
    DASHBOARD.map(async (path) => {
      const response = await fetch(
        `${server.url}/apps/demo${path}?startDate=${addDays(lastDay, -29)}&endDate=${lastDay}`,
      );
      await response.arrayBuffer();
    }),
  );
  const repeatMs = performance.now() - repeat;
  return { loads: measured, repeatMs, peakRssMib: await server.peakRssMib() };
}

function dashboardFigures(
  loads: readonly DashboardLoad[],
  repeats: readonly number[],
  rss: number,
): DashboardFigures {
  let slowest = { path: '', ms: 0 };
  const seriesMs: Record<string, number> = {};
  for (const path of DASHBOARD) {
    const times = loads.map((l) => l.series.get(path) ?? 0);
    seriesMs[path] = Math.round(median(times));
    for (const ms of times) if (ms > slowest.ms) slowest = { path, ms };
  }
  return {
    totalMs: median(loads.map((l) => l.totalMs)),
    serverCpuMs: median(loads.map((l) => l.serverCpuMs)),
    slowest,
    seriesMs,
    repeatMs: median(repeats),
    peakRssMib: rss,
  };
}

/** The 17 series over HTTP against one server, with or without rollups. */
async function dashboard(dataDir: string, lastDay: string, rollups: boolean, loads: number) {
  const server = await startServer(dataDir, rollups);
  try {
    const run = await dashboardLoads(server, lastDay, loads);
    return dashboardFigures(run.loads, [run.repeatMs], run.peakRssMib);
  } finally {
    await server.stop();
  }
}

/**
 * The dashboard with rollups against the servers of several checkouts on one lake (one holds
 * its lock at a time): `rounds` rounds, each starting every checkout's server in turn for its
 * loads, so that the machine's noise falls on all of them alike.
 */
async function compareDashboards(
  lake: Lake,
  checkouts: readonly (readonly [string, string])[],
  loads: number,
  rounds: number,
): Promise<Map<string, DashboardFigures>> {
  const runs = new Map(
    checkouts.map(([label]) => [label, { loads: [] as DashboardLoad[], repeats: [] as number[], rss: 0 }]),
  );
  for (let round = 0; round < rounds; round++) {
    for (const [label, checkout] of checkouts) {
      const server = await startServer(lake.dataDir, true, checkout);
      try {
        const run = await dashboardLoads(server, lake.lastDay, loads);
        const kept = runs.get(label);
        kept?.loads.push(...run.loads);
        kept?.repeats.push(run.repeatMs);
        if (kept) kept.rss = Math.max(kept.rss, run.peakRssMib);
      } finally {
        await server.stop();
      }
      process.stderr.write(`${label} `);
    }
  }
  process.stderr.write('\n');
  return new Map([...runs].map(([label, r]) => [label, dashboardFigures(r.loads, r.repeats, r.rss)]));
}

function printComparison(lake: Lake, figures: ReadonlyMap<string, DashboardFigures>, load: string): void {
  const labels = [...figures.keys()];
  const all = [...figures.values()];
  console.log(
    `Node ${process.version}; lake ${lake.dataDir}: ${lake.events.toLocaleString('en-US')} events, ${lake.firstDay} to ${lake.lastDay}; load average ${load}\n`,
  );
  console.log(`| 17-series 30-day dashboard over HTTP (6 at a time), rollups | ${labels.join(' | ')} |`);
  console.log(`|---|${labels.map(() => '---:').join('|')}|`);
  console.log(
    `| whole dashboard, first load of a range (median) | ${all.map((f) => `${Math.round(f.totalMs)} ms`).join(' | ')} |`,
  );
  console.log(
    `| server CPU per load, all threads (median) | ${all.map((f) => `${Math.round(f.serverCpuMs)} ms`).join(' | ')} |`,
  );
  console.log(
    `| slowest series | ${all.map((f) => `${Math.round(f.slowest.ms)} ms (${f.slowest.path})`).join(' | ')} |`,
  );
  console.log(
    `| same range again (ETag cache) | ${all.map((f) => `${Math.round(f.repeatMs)} ms`).join(' | ')} |`,
  );
  console.log(`| server peak RSS | ${all.map((f) => `${f.peakRssMib.toFixed(0)} MiB`).join(' | ')} |`);
  for (const path of DASHBOARD) {
    console.log(`| ${path} (median) | ${all.map((f) => `${f.seriesMs[path]} ms`).join(' | ')} |`);
  }
  console.log(`\n${JSON.stringify(Object.fromEntries(figures), null, 2)}`);
}

interface AthenaEstimate {
  readonly path: string;
  readonly beforeBytes: number;
  readonly rollupBytes: number;
  readonly rawPartitionsOutsideRange: number;
}

/** Per KPI, the bytes Athena would scan at 1M events a day and two years of history, for a request in `timezone`. */
async function athenaEstimates(lake: Lake, timezone: string): Promise<AthenaEstimate[]> {
  const { KPI_DEFINITIONS } = await import('../lambdas/kpi/kpi-definitions');
  const { planKpi } = await import('../lambdas/kpi/kpi-planner');
  const { NO_ROLLUPS } = await import('../lambdas/core/rollup-catalog');
  const { ROLLUP_CLIENTS } = await import('../lambdas/rollups/rollup-tables');
  const { kpiSpan } = await import('../lambdas/kpi/sql/kpi-sql');
  const { LakeScanSizer, bytesOf } = await import('../local/duckdb/lake-scan-sizer');
  const { LakeRollupCatalog } = await import('../local/rollups/lake-rollup-catalog');
  const { pinnedFiles } = await import('../local/rollups/lake-kpi-views');
  const { DEFAULT_LAKE_START_DATE, lakeWindow } = await import('../lambdas/core/lake-window');
  const lakeStart = lakeWindow(DEFAULT_LAKE_START_DATE);
  const opened = await openLake(lake);
  let manifests = opened.rollups.manifests;
  const pinned = await opened.lake.pin({
    alongside: () => {
      manifests = opened.rollups.manifests;
    },
  });
  const sizer = new LakeScanSizer(opened.instance);
  const filesOf = pinnedFiles(lake.dataDir, pinned, manifests);
  const catalog = new LakeRollupCatalog(pinned, manifests);
  const lakeDays = (Date.parse(lake.lastDay) - Date.parse(lake.firstDay)) / 86_400_000 + 1;
  const eventScale = EVENTS_PER_DAY / (lake.events / lakeDays);
  /** Average bytes a day of a table's columns, over the whole lake. */
  const perDay = new Map<string, number>();
  const bytesPerDay = async (table: string, columns: readonly string[]) => {
    const key = `${table}|${columns.join(',')}`;
    const known = perDay.get(key);
    if (known !== undefined) return known;
    const files = filesOf({ table, appId: 'demo', days: [{ to: lake.lastDay }], columns });
    const footers = await sizer.columnBytes(files);
    const bytes = footers.reduce((sum, f) => sum + bytesOf(f, columns), 0) / lakeDays;
    perDay.set(key, bytes);
    return bytes;
  };
  const dayCount = (range: { from?: string; to: string }) =>
    range.from === undefined
      ? HISTORY_DAYS
      : (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
  const estimates: AthenaEstimate[] = [];
  const start = addDays(lake.lastDay, -29);
  for (const definition of KPI_DEFINITIONS) {
    const query = {
      definition,
      appId: 'demo',
      startDate: start,
      endDate: lake.lastDay,
      lastCompleteDate: lake.lastDay,
      names: NAMES,
      timezone,
    };
    // Before rollups: every day from raw events, the dt range padded by a day on each side.
    const span = kpiSpan(definition.formula.reads);
    const rawPlan = await planKpi(query, NO_ROLLUPS, lakeStart);
    const padded = {
      from: addDays(start, -span.daysBefore - 1),
      to: addDays(lake.lastDay, span.daysAfter + 1),
    };
    let beforeBytes = 0;
    for (const read of rawPlan.reads) {
      if (read.columns.includes('arrival_timestamp')) continue;
      const history = read.days.some((d) => d.from === undefined || d.from <= lakeStart.startDate);
      beforeBytes +=
        (await bytesPerDay(read.table, read.columns)) *
        dayCount(history ? { to: padded.to } : padded) *
        eventScale;
    }
    const rollupPlan = await planKpi(query, catalog, lakeStart);
    let rollupBytes = 0;
    let outside = 0;
    for (const read of rollupPlan.reads) {
      if (read.table === ROLLUP_CLIENTS.name) {
        const files = filesOf(read);
        const footers = await sizer.columnBytes(files);
        const clientScale = eventScale * (HISTORY_DAYS / lakeDays);
        rollupBytes += footers.reduce((sum, f) => sum + bytesOf(f, read.columns), 0) * clientScale;
        continue;
      }
      const days = read.days.reduce((n, r) => n + dayCount(r), 0);
      rollupBytes += (await bytesPerDay(read.table, read.columns)) * days * eventScale;
      if (read.table === 'events')
        outside += read.days.filter((r) => r.from === undefined || r.from < start).length;
    }
    estimates.push({ path: definition.path, beforeBytes, rollupBytes, rawPartitionsOutsideRange: outside });
  }
  pinned.release();
  await opened.close();
  return estimates;
}

const mib = (bytes: number) => (bytes / MIB).toFixed(bytes < 10 * MIB ? 2 : 0);

/** The parts of the benchmark, all by default (`--only athena` for the estimate alone). */
const PARTS = ['kpis', 'dashboard', 'athena'] as const;
/** A zone whose UTC days are not local days: its activity is read with quarter-hours. */
const ZONE_WITH_OFFSET = 'America/New_York';

function printKpis({ perKpi, history }: Awaited<ReturnType<typeof kpiLatencies>>): void {
  console.log(
    '| KPI (30 days, UTC, in-process) | raw events | rollups | speed-up | bytes read raw | bytes read rollups |\n|---|---:|---:|---:|---:|---:|',
  );
  for (const k of perKpi) {
    console.log(
      `| ${k.path} | ${Math.round(k.rawMs)} ms | ${Math.round(k.rollupMs)} ms | ${(k.rawMs / k.rollupMs).toFixed(0)}× | ${mib(k.rawBytes)} MiB | ${mib(k.rollupBytes)} MiB |`,
    );
  }
  console.log('\n| all-history KPI, 30 days ending | raw events | rollups |\n|---|---:|---:|');
  for (const h of history)
    console.log(`| ${h.path}, ${h.end} | ${Math.round(h.rawMs)} ms | ${Math.round(h.rollupMs)} ms |`);
}

function printDashboard(raw: DashboardFigures, rollups: DashboardFigures): void {
  console.log(
    '\n| 17-series 30-day dashboard over HTTP (6 at a time) | raw events (`--no-rollups`) | rollups |\n|---|---:|---:|',
  );
  console.log(
    `| whole dashboard, first load of a range (median) | ${Math.round(raw.totalMs)} ms | ${Math.round(rollups.totalMs)} ms |`,
  );
  console.log(
    `| slowest series | ${Math.round(raw.slowest.ms)} ms (${raw.slowest.path}) | ${Math.round(rollups.slowest.ms)} ms (${rollups.slowest.path}) |`,
  );
  console.log(
    `| same range again | ${Math.round(raw.repeatMs)} ms | ${Math.round(rollups.repeatMs)} ms (ETag cache) |`,
  );
  console.log(
    `| server peak RSS | ${raw.peakRssMib.toFixed(0)} MiB | ${rollups.peakRssMib.toFixed(0)} MiB |`,
  );
}

function printAthena(utc: readonly AthenaEstimate[], zoned: readonly AthenaEstimate[]): void {
  const share = (a: AthenaEstimate | undefined) =>
    a ? `${((100 * a.rollupBytes) / a.beforeBytes).toFixed(2)}%` : '';
  console.log(
    `\n| Athena bytes per 30-day request, 1M events/day, 2 years | before rollups | with rollups (UTC) | share (UTC) | share (${ZONE_WITH_OFFSET}) | raw partitions outside the range |\n|---|---:|---:|---:|---:|---:|`,
  );
  let before = 0;
  let after = 0;
  for (const a of utc) {
    if (DASHBOARD.includes(concrete(a.path))) {
      before += a.beforeBytes;
      after += Math.max(a.rollupBytes, ATHENA_MINIMUM_BYTES);
    }
    const other = zoned.find((z) => z.path === a.path);
    console.log(
      `| ${a.path} | ${mib(a.beforeBytes)} MiB | ${mib(a.rollupBytes)} MiB | ${share(a)} | ${share(other)} | ${a.rawPartitionsOutsideRange} |`,
    );
  }
  console.log(
    `| the 17-series dashboard in UTC (rollups billed at Athena's 10 MB minimum a query) | ${(before / 1024 / MIB).toFixed(1)} GiB, $${((before / 1024 ** 4) * 5).toFixed(3)} | ${mib(after)} MiB, $${((after / 1024 ** 4) * 5).toFixed(4)} | ${((100 * after) / before).toFixed(2)}% | | |`,
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      runs: { type: 'string', default: '3' },
      only: { type: 'string', default: PARTS.join(',') },
      'dashboard-only': { type: 'boolean', default: false },
      loads: { type: 'string', default: '3' },
      rounds: { type: 'string', default: '2' },
      before: { type: 'string', multiple: true, default: [] },
    },
  });
  const runs = Number(values.runs);
  const parts = new Set(values.only.split(','));
  for (const part of parts) {
    if (!PARTS.some((p) => p === part)) throw new Error(`--only takes ${PARTS.join(', ')}; got ${part}`);
  }
  const lake = await prepareLake(values['data-dir'] ?? process.env.ROLLUP_BENCH_LAKE);
  try {
    if (values['dashboard-only']) {
      // `--before <checkout>` or `--before <label>=<checkout>`, as often as needed.
      const before = values.before.map((arg): [string, string] => {
        const [label, checkout] = arg.includes('=') ? arg.split('=', 2) : ['before', arg];
        return [label ?? 'before', resolve(checkout ?? arg)];
      });
      const loadBefore = await loadAverage();
      const figures = await compareDashboards(
        lake,
        [...before, ['this checkout', ROOT]],
        Number(values.loads),
        Number(values.rounds),
      );
      printComparison(lake, figures, `${loadBefore} before, ${await loadAverage()} after`);
      return;
    }
    const loadBefore = await loadAverage();
    const kpis = parts.has('kpis') ? await kpiLatencies(lake, runs) : undefined;
    const raw = parts.has('dashboard') ? await dashboard(lake.dataDir, lake.lastDay, false, 2) : undefined;
    const rollups = parts.has('dashboard') ? await dashboard(lake.dataDir, lake.lastDay, true, 3) : undefined;
    const athena = parts.has('athena') ? await athenaEstimates(lake, 'UTC') : undefined;
    const zoned = parts.has('athena') ? await athenaEstimates(lake, ZONE_WITH_OFFSET) : undefined;
    const loadAfter = await loadAverage();
    console.log(
      `Node ${process.version}; lake ${lake.dataDir}: ${lake.events.toLocaleString('en-US')} events, ${lake.firstDay} to ${lake.lastDay}; load average ${loadBefore} before, ${loadAfter} after\n`,
    );
    if (kpis) printKpis(kpis);
    if (raw && rollups) printDashboard(raw, rollups);
    if (athena && zoned) printAthena(athena, zoned);
    console.log(
      `\n${JSON.stringify({ lake: { ...lake, remove: undefined }, ...kpis, dashboard: { raw, rollups }, athena, [ZONE_WITH_OFFSET]: zoned }, null, 2)}`,
    );
  } finally {
    await lake.remove?.();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
