/**
 * Local-mode ingest under load: events/s and latency of Pinpoint PutEvents requests of 1 and of
 * 100 events from 1, 8 and 32 concurrent clients, each with and without a concurrent loop of
 * DAU queries, against `npm start` as a child process on a sample lake. A bare write + fdatasync
 * loop, run at the start and the end, shows how fast this machine's disk syncs while the
 * benchmark runs (the machine may be shared), and the same doors with a sink that stores
 * nothing (`noop-sink-server.ts`) show the ceiling of the HTTP path on it. With
 * `--before [<label>=]<checkout>` (repeatable) the same load also runs against the server of
 * other checkouts (e.g. the code before a change), in the same run.
 *
 * `--query-loops N` runs N DAU loops at once beside ingest (a dashboard asks several KPIs at once).
 * `--query-app none,ingested,other` (the default) runs each cell without a DAU loop, with one
 * asking for the app being ingested (`bench`: every answer counts the events just written,
 * today's partition grows through the run), and with one asking for another app (the sample
 * lake's `demo`); `static` (not in the default) loops on the KPI API's OpenAPI document, an answer
 * with no query behind it. `--query-pause MS` makes each loop wait MS after each answer (a dashboard that
 * refreshes) instead of asking again at once.
 *
 * `--driver node-http` sends the ingest load with node:http (a keep-alive Agent) instead of the
 * lean raw-socket client; with the default the no-op ceiling is also measured with node:http.
 *
 * `--sizes 1,100` and `--clients 1,8,32` choose the cells (those are the defaults); `--no-ceiling`
 * leaves out the no-op sink servers. `--repeat N` runs every cell N times (rounds interleaved: all
 * cells, then all again) and reports the median of each figure. `--server-node-flag=--cpu-prof` (repeatable) starts the lake
 * servers' node with that flag (e.g. to profile them).
 *
 *   npx tsx bench/lake-ingest-bench.ts [--lake-events N] [--seconds S] [--query-loops N] [--driver raw|node-http] [--sizes 1,100] [--clients 1,8,32] [--no-ceiling] [--repeat N] [--query-app none,ingested,other] [--query-pause MS] [--before main=../main]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { availableParallelism, setPriority, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { utcDay } from '../lambdas/core/calendar-day';
import { DAY_MS } from '../lambdas/core/time';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';

const ROOT = join(__dirname, '..');
const SIZES = [1, 100];
const CLIENTS = [1, 8, 32];
/** The app the load sends to. */
const INGESTED_APP = 'bench';
/** The sample lake's app (a year of history), which the load does not send to. */
const OTHER_APP = 'demo';
/**
 * Which app the DAU loop beside ingest asks for: none (no loop), the app being ingested (each
 * answer must count the events just written), or another app (a dashboard of one app while
 * another one sends).
 */
type QueryApp = 'none' | 'ingested' | 'other' | 'static';
const QUERY_APPS: readonly QueryApp[] = ['none', 'ingested', 'other', 'static'];
/**
 * The path a loop asks: DAU of the app being ingested or of another app, or (`static`) the KPI
 * API's OpenAPI document, a constant answer with no query behind it, to show what a loop of
 * requests costs ingest whatever the requests cost.
 */
const loopPath = (queryApp: Exclude<QueryApp, 'none'>) =>
  queryApp === 'static'
    ? '/openapi.json'
    : `/apps/${queryApp === 'ingested' ? INGESTED_APP : OTHER_APP}/kpis/dau/count`;

/** A comma-separated list of numbers (`--sizes 1,100`). */
const numbers = (list: string) => list.split(',').map(Number);
const TICKS_PER_SECOND = 100;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
const round1 = (n: number) => Math.round(n * 10) / 10;

/** Sequential 600-byte appends, each followed by fdatasync, for `ms`: syncs/s and latency. */
async function fsyncBaseline(dir: string, ms: number) {
  const handle = await open(join(dir, 'fsync-baseline.log'), 'a');
  const line = Buffer.from(`${'x'.repeat(599)}\n`);
  const times: number[] = [];
  const end = performance.now() + ms;
  try {
    while (performance.now() < end) {
      const started = performance.now();
      await handle.write(line);
      await handle.datasync();
      times.push(performance.now() - started);
    }
  } finally {
    await handle.close();
  }
  times.sort((a, b) => a - b);
  return {
    syncsPerSecond: Math.round(times.length / (ms / 1000)),
    p50Ms: round1(percentile(times, 50)),
    p99Ms: round1(percentile(times, 99)),
  };
}

/**
 * The bare write + fdatasync loop while `busy` other processes each keep a core busy at the
 * lowest priority (nice 19; a loop of arithmetic, no system calls): how much a background
 * computation (DuckDB below the main thread) alone slows a sync on this machine, whatever the
 * server does.
 */
async function fsyncBesideBusyCores(dir: string, ms: number, busy: number) {
  const spinners = Array.from({ length: busy }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  try {
    for (const child of spinners) if (child.pid !== undefined) setPriority(child.pid, 19);
    await new Promise((done) => setTimeout(done, 200));
    return await fsyncBaseline(dir, ms);
  } finally {
    for (const child of spinners) child.kill('SIGKILL');
  }
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc (Linux); undefined elsewhere.
 * With `mainThread`, only its main thread's (where the server parses, answers and writes the log).
 */
async function cpuMs(pid: number | undefined, mainThread = false): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const path = mainThread ? `/proc/${pid}/task/${pid}/stat` : `/proc/${pid}/stat`;
  const stat = await readFile(path, 'utf8').catch(() => undefined);
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (!fields) return undefined;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/** The server's resident memory now (MiB), from /proc. */
async function rssMiB(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => undefined);
  const kb = status?.match(/^VmRSS:\s+(\d+) kB$/m)?.[1];
  return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
}

/** Bytes of a lake's log segments (not yet converted to Parquet), in MiB. */
async function logMiB(lake: string): Promise<number> {
  const dir = join(lake, 'log');
  const names = await readdir(dir).catch(() => [] as string[]);
  let bytes = 0;
  for (const name of names) bytes += (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size;
  return Math.round(bytes / (1024 * 1024));
}

interface Server {
  readonly url: string;
  readonly child: ChildProcess;
  /** The server's node process (tsx starts node as a child). */
  readonly pid: number | undefined;
}

/** A server as a child process: `npm start` of a checkout on `dataDir`, or the no-op sink server. */
async function startServer(
  checkout: string,
  dataDir: string | undefined,
  nodeFlags: readonly string[] = [],
): Promise<Server> {
  const args =
    dataDir === undefined
      ? ['bench/noop-sink-server.ts']
      : [...nodeFlags, 'local/cli/start.ts', '--port', '0', '--no-sample-data', '--data-dir', dataDir];
  const child = spawn(join(checkout, 'node_modules', '.bin', 'tsx'), args, {
    cwd: checkout,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
  });
  let stdout = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match?.[1]) done(match[1]);
    });
    child.on('exit', (code) => fail(new Error(`the server in ${checkout} exited with ${code}`)));
  });
  const children = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').catch(() => '');
  const pid = Number(children.trim().split(' ')[0]) || child.pid;
  return { url, child, pid };
}

async function stopServer(server: Server): Promise<void> {
  await new Promise<void>((done) => {
    server.child.on('exit', () => done());
    server.child.kill('SIGTERM');
  });
}

/** Keep-alive connections for one cell's node:http requests (fresh per cell: a held server's idle timeouts fire when it goes on). */
const newAgent = () => new Agent({ keepAlive: true, maxSockets: 64 });

function post(agent: Agent, url: URL, path: string, body: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

function get(agent: Agent, url: URL, path: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request({ agent, host: url.hostname, port: url.port, path }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', fail);
    req.end();
  });
}

/**
 * A lean HTTP/1.1 client for the ingest load: one keep-alive socket, one request in flight at a
 * time (as an SDK client sends), each request written in one piece, and the response read only
 * as far as its status and its end. It spends a fraction of node:http's CPU per request, which
 * on a machine of few cores leaves more of them to the server measured.
 */
class RawClient {
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { done: (status: number) => void; fail: (err: Error) => void } | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly host: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.parse();
    });
    socket.on('error', (err) => this.waiting?.fail(err));
    socket.on('close', () => this.waiting?.fail(new Error('the server closed the connection')));
  }

  static open(url: URL): Promise<RawClient> {
    return new Promise((done, fail) => {
      const socket = connect(Number(url.port), url.hostname, () => done(new RawClient(socket, url.host)));
      socket.once('error', fail);
    });
  }

  post(path: string, body: string): Promise<number> {
    return new Promise((done, fail) => {
      this.waiting = { done, fail };
      this.socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${this.host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /** Settles the request in flight once its whole response (Content-Length or chunked) is in. */
  private parse(): void {
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd < 0 || !this.waiting) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    let end: number;
    if (length?.[1]) {
      end = headEnd + 4 + Number(length[1]);
      if (this.buffered.length < end) return;
    } else {
      const last = this.buffered.indexOf('\r\n0\r\n\r\n', headEnd + 2);
      if (last < 0) return;
      end = last + 7;
    }
    this.buffered = this.buffered.subarray(end);
    const { done } = this.waiting;
    this.waiting = undefined;
    done(status);
  }
}

/** Which client sends the ingest load: {@link RawClient} (default) or node:http with a keep-alive Agent. */
type Driver = 'raw' | 'node-http';

let requestNumber = 0;

/** A Pinpoint PutEvents body of `size` new events of one device, at distinct times of yesterday. */
function pinpointBody(size: number): string {
  const n = requestNumber++;
  const day = Date.parse(`${utcDay(Date.now() - DAY_MS)}T00:00:00Z`);
  const Events: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) {
    Events[`r${n}-e${i}`] = {
      EventType: i === 0 ? '_session.start' : 'level_complete',
      Timestamp: new Date(day + ((n * 100 + i) % DAY_MS)).toISOString(),
      Session: { Id: `s-${n}`, StartTimestamp: new Date(day).toISOString() },
      Attributes: { level: String(i % 40), difficulty: 'normal' },
      Metrics: { score: i * 10, stars: i % 4 },
    };
  }
  return JSON.stringify({ BatchItem: { [`device-${n % 5000}`]: { Endpoint: {}, Events } } });
}

/**
 * Runs `clients` clients sending requests of `size` events for `seconds`, each on its own
 * connection. A 429 (the lake throttling, ADR 029) is counted and the client goes on, as an SDK
 * retries; any other answer but 202 stops the benchmark.
 */
async function ingest(url: URL, size: number, clients: number, seconds: number, driver: Driver) {
  const latencies: number[] = [];
  let throttled = 0;
  const path = `/v1/apps/${INGESTED_APP}/events`;
  const agent = newAgent();
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const raw = driver === 'raw' ? await RawClient.open(url) : undefined;
      try {
        while (performance.now() < end) {
          const body = pinpointBody(size);
          const sentAt = performance.now();
          const status = await (raw ? raw.post(path, body) : post(agent, url, path, body));
          if (status === 429) throttled++;
          else if (status !== 202) throw new Error(`ingest answered ${status}`);
          else latencies.push(performance.now() - sentAt);
        }
      } finally {
        raw?.close();
      }
    }),
  );
  agent.destroy();
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    events: latencies.length * size,
    eventsPerSecond: Math.round((latencies.length * size) / elapsed),
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
    throttled,
  };
}

/**
 * GETs of `path` (DAU of an app, default 30 days, or a constant answer: {@link loopPath}) from
 * `loops` concurrent loops (as a dashboard asks several KPIs at once), each one request after
 * the other, until stopped.
 */
function queryLoop(url: URL, loops: number, path: string, pauseMs = 0) {
  const latencies: number[] = [];
  const agent = newAgent();
  let running = true;
  const done = Promise.all(
    Array.from({ length: loops }, async () => {
      while (running) {
        const started = performance.now();
        const status = await get(agent, url, path);
        if (status !== 200) throw new Error(`${path} answered ${status}`);
        latencies.push(performance.now() - started);
        if (pauseMs > 0 && running) await new Promise((done) => setTimeout(done, pauseMs));
      }
    }),
  );
  return {
    stop: async () => {
      running = false;
      await done;
      agent.destroy();
      latencies.sort((a, b) => a - b);
      return {
        queries: latencies.length,
        p50Ms: Math.round(percentile(latencies, 50)),
        maxMs: Math.round(latencies.at(-1) ?? 0),
      };
    },
  };
}

async function dauAlone(url: URL, seconds: number, loops: number) {
  const loop = queryLoop(url, loops, loopPath('other'));
  await new Promise((done) => setTimeout(done, seconds * 1000));
  return loop.stop();
}

interface Cell {
  readonly variant: string;
  readonly size: number;
  readonly clients: number;
  readonly queryApp: QueryApp;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly serverCpuUsPerEvent: number | undefined;
  /** Of it, the main thread's. */
  readonly mainThreadCpuUsPerEvent: number | undefined;
  /** Requests answered 429 (not counted in events/s). */
  readonly throttled: number;
  /** The server's resident memory and its lake's log (not yet converted) at the end of the cell, MiB. */
  readonly rssMiB: number | undefined;
  readonly logMiB: number | undefined;
  readonly dau?: { queries: number; p50Ms: number; maxMs: number };
}

interface Variant {
  readonly name: string;
  readonly checkout: string;
  /** The lake folder its server runs on; none for the no-op sink. */
  readonly lake: string | undefined;
  readonly driver: Driver;
}

/**
 * Waits (at most a minute) until the server's background work after start and warm-up
 * (rollups checked, the warm-up's events converted and settled) is done: under 5% of a core
 * over half a second. Else the first cells would measure it.
 */
async function quiet(server: Server): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 500) {
    const before = await cpuMs(server.pid);
    await new Promise((done) => setTimeout(done, 500));
    const after = await cpuMs(server.pid);
    if (before === undefined || after === undefined || after - before < 25) return;
  }
}

/** Holds a server's process (SIGSTOP) or lets it go on (SIGCONT); its sockets wait meanwhile. */
function hold(server: Server, held: boolean): void {
  if (server.pid !== undefined) process.kill(server.pid, held ? 'SIGSTOP' : 'SIGCONT');
}

/**
 * Runs every cell against every variant's server, cell by cell (each cell on each server in
 * turn), so a change of the machine's load over the run touches all servers alike. All servers
 * run at once; while one is measured, the others are held (SIGSTOP), so their background work
 * (conversion, compaction) runs in their own cells only. Without a lake (the no-op sink) there
 * are no DAU loops.
 */
async function runVariants(
  variants: readonly Variant[],
  seconds: number,
  queryLoops: number,
  sizes: readonly number[],
  clientCounts: readonly number[],
  nodeFlags: readonly string[],
  queryApps: readonly QueryApp[],
  repeat: number,
  queryPauseMs: number,
) {
  const servers: Server[] = [];
  try {
    for (const variant of variants) {
      const server = await startServer(variant.checkout, variant.lake, nodeFlags);
      servers.push(server);
      const url = new URL(server.url);
      await ingest(url, 100, 8, 1, variant.driver);
      await ingest(url, 1, 8, 1, variant.driver);
      await quiet(server);
      hold(server, true);
    }
    const results: { cells: Cell[]; dauBefore: Awaited<ReturnType<typeof dauAlone>> | undefined }[] = [];
    for (const [i, variant] of variants.entries()) {
      const server = servers[i] as Server;
      hold(server, false);
      const url = new URL(server.url);
      const dauBefore =
        variant.lake === undefined ? undefined : await dauAlone(url, Math.min(seconds, 3), queryLoops);
      hold(server, true);
      results.push({ cells: [], dauBefore });
    }
    for (let round = 0; round < repeat; round++) {
      for (const size of sizes) {
        for (const clients of clientCounts) {
          for (const queryApp of queryApps) {
            for (const [i, variant] of variants.entries()) {
              if (queryApp !== 'none' && variant.lake === undefined) continue;
              const server = servers[i] as Server;
              const url = new URL(server.url);
              hold(server, false);
              const loop =
                queryApp === 'none'
                  ? undefined
                  : queryLoop(url, queryLoops, loopPath(queryApp), queryPauseMs);
              const cpuBefore = await cpuMs(server.pid);
              const mainBefore = await cpuMs(server.pid, true);
              const run = await ingest(url, size, clients, seconds, variant.driver);
              const cpuAfter = await cpuMs(server.pid);
              const mainAfter = await cpuMs(server.pid, true);
              const rss = await rssMiB(server.pid);
              const log = variant.lake === undefined ? undefined : await logMiB(variant.lake);
              const dau = await loop?.stop();
              hold(server, true);
              const perEvent = (before: number | undefined, after: number | undefined) =>
                before === undefined || after === undefined
                  ? undefined
                  : Math.round(((after - before) * 1000) / run.events);
              const cell = {
                variant: variant.name,
                size,
                clients,
                queryApp,
                ...run,
                serverCpuUsPerEvent: perEvent(cpuBefore, cpuAfter),
                mainThreadCpuUsPerEvent: perEvent(mainBefore, mainAfter),
                rssMiB: rss,
                logMiB: log,
                dau,
              };
              results[i]?.cells.push(cell);
              process.stderr.write(
                `${variant.name} ${size}×${clients}${queryApp === 'none' ? '' : ` +loop of ${queryApp}`}: ${run.eventsPerSecond}/s\n`,
              );
            }
          }
        }
      }
    }
    return results;
  } finally {
    for (const server of servers) {
      hold(server, false);
      await stopServer(server);
    }
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
};
const medianOf = (values: readonly (number | undefined)[]) => {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : median(known);
};

/** One cell per server and load: the median of each figure over its rounds (DAU max: the largest). */
function summarise(cells: readonly Cell[]): Cell[] {
  const groups = new Map<string, Cell[]>();
  for (const c of cells) {
    const key = `${c.variant}|${c.size}|${c.clients}|${c.queryApp}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as Cell;
    const daus = group.flatMap((c) => (c.dau ? [c.dau] : []));
    return {
      ...first,
      eventsPerSecond: median(group.map((c) => c.eventsPerSecond)),
      p50Ms: median(group.map((c) => c.p50Ms)),
      p99Ms: median(group.map((c) => c.p99Ms)),
      throttled: median(group.map((c) => c.throttled)),
      serverCpuUsPerEvent: medianOf(group.map((c) => c.serverCpuUsPerEvent)),
      mainThreadCpuUsPerEvent: medianOf(group.map((c) => c.mainThreadCpuUsPerEvent)),
      rssMiB: medianOf(group.map((c) => c.rssMiB)),
      logMiB: medianOf(group.map((c) => c.logMiB)),
      ...(daus.length === 0
        ? {}
        : {
            dau: {
              queries: median(daus.map((d) => d.queries)),
              p50Ms: median(daus.map((d) => d.p50Ms)),
              maxMs: Math.max(...daus.map((d) => d.maxMs)),
            },
          }),
    };
  });
}

async function sampleLake(dataDir: string, events: number): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const { Lake } = await import('../local/lake/lake');
  const { writeSampleData } = await import('../local/sample-data/sample-data');
  const { LakeRollups } = await import('../local/rollups/lake-rollups');
  const instance = await DuckDBInstance.create(':memory:');
  // With the derivations `npm start` keeps (rollups), as a lake it wrote has them: else each
  // server would first build them all, on the cores the first cells measure.
  const lake = await Lake.open({
    dataDir,
    command: 'the lake ingest benchmark',
    instance,
    derivations: [new LakeRollups()],
  });
  try {
    await writeSampleData({ instance, lake, events });
  } finally {
    await lake.close();
    instance.closeSync();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'lake-events': { type: 'string', default: '1000000' },
      seconds: { type: 'string', default: '4' },
      'query-loops': { type: 'string', default: '1' },
      before: { type: 'string', multiple: true, default: [] },
      driver: { type: 'string', default: 'raw' },
      sizes: { type: 'string', default: SIZES.join(',') },
      clients: { type: 'string', default: CLIENTS.join(',') },
      ceiling: { type: 'boolean', default: true },
      'server-node-flag': { type: 'string', multiple: true, default: [] },
      'query-app': { type: 'string', default: 'none,ingested,other' },
      repeat: { type: 'string', default: '1' },
      'query-pause': { type: 'string', default: '0' },
    },
    allowNegative: true,
  });
  const driver = values.driver;
  if (driver !== 'raw' && driver !== 'node-http')
    throw new Error(`--driver is raw or node-http, not ${driver}`);
  const seconds = Number(values.seconds);
  const queryLoops = Number(values['query-loops']);
  const repeat = Number(values.repeat);
  const queryApps = values['query-app'].split(',') as QueryApp[];
  for (const app of queryApps) {
    if (!QUERY_APPS.includes(app)) throw new Error(`--query-app takes ${QUERY_APPS.join(', ')}, not ${app}`);
  }
  const work = await mkdtemp(join(tmpdir(), 'lake-ingest-bench-'));
  try {
    const sample = join(work, 'sample');
    await sampleLake(sample, Number(values['lake-events']));
    const fsyncStart = await fsyncBaseline(work, 2000);
    const variants: [string, string][] = [['this checkout', ROOT]];
    // `--before <checkout>` or `--before <label>=<checkout>`, as often as needed: run first, in that order.
    const before = values.before.map((arg): [string, string] => {
      const [label, checkout] = arg.includes('=') ? arg.split('=', 2) : ['before', arg];
      return [label ?? 'before', resolve(checkout ?? arg)];
    });
    variants.unshift(...before);
    const runs: Variant[] = [];
    for (const [name, checkout] of variants) {
      const lake = join(work, `lake-${runs.length}`);
      await cp(sample, lake, { recursive: true });
      runs.push({ name, checkout, lake, driver });
    }
    if (values.ceiling) runs.push({ name: 'no-op sink (ceiling)', checkout: ROOT, lake: undefined, driver });
    // The ceiling as the node:http driver (the only one before) measured it, for comparison.
    if (values.ceiling && driver === 'raw') {
      runs.push({
        name: 'no-op sink, node:http driver',
        checkout: ROOT,
        lake: undefined,
        driver: 'node-http',
      });
    }
    const results = await runVariants(
      runs,
      seconds,
      queryLoops,
      numbers(values.sizes),
      numbers(values.clients),
      values['server-node-flag'],
      queryApps,
      repeat,
      Number(values['query-pause']),
    );
    const fsyncEnd = await fsyncBaseline(work, 2000);
    const fsyncBusy = [
      await fsyncBesideBusyCores(work, 2000, 1),
      await fsyncBesideBusyCores(work, 2000, availableParallelism()),
    ];

    console.log(
      `Node ${process.version}, ${process.arch}; ${seconds} s per cell; ${queryLoops} concurrent DAU loop(s)${Number(values['query-pause']) > 0 ? `, each pausing ${values['query-pause']} ms after an answer` : ''}; ${driver} driver; ${repeat} round(s), each figure the median of its rounds\n`,
    );
    console.log(
      `bare write + fdatasync loop: ${fsyncStart.syncsPerSecond}/s (p50 ${fsyncStart.p50Ms} ms, p99 ${fsyncStart.p99Ms} ms) at the start, ${fsyncEnd.syncsPerSecond}/s (p50 ${fsyncEnd.p50Ms} ms, p99 ${fsyncEnd.p99Ms} ms) at the end; beside 1 busy core at nice 19: ${fsyncBusy[0]?.syncsPerSecond}/s (p50 ${fsyncBusy[0]?.p50Ms} ms), beside ${availableParallelism()}: ${fsyncBusy[1]?.syncsPerSecond}/s (p50 ${fsyncBusy[1]?.p50Ms} ms)\n`,
    );
    console.log(
      '| server | events a request | clients | loop of | events/s | p50 | p99 | server CPU µs/event (main thread) | RSS / log at the end, MiB | 429s | loop answer p50 (max) |',
    );
    console.log('|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|');
    const summaries = results.map(({ cells, dauBefore }) => ({ cells: summarise(cells), dauBefore }));
    for (const { cells, dauBefore } of summaries) {
      for (const c of cells) {
        const dau = c.dau ? `${c.dau.p50Ms} ms (${c.dau.maxMs})` : '';
        console.log(
          `| ${c.variant} | ${c.size} | ${c.clients} | ${c.queryApp} | ${c.eventsPerSecond.toLocaleString('en-US')} | ${c.p50Ms} ms | ${c.p99Ms} ms | ${c.serverCpuUsPerEvent ?? ''} (${c.mainThreadCpuUsPerEvent ?? ''}) | ${c.rssMiB ?? ''} / ${c.logMiB ?? ''} | ${c.throttled} | ${dau} |`,
        );
      }
      if (dauBefore) {
        console.log(
          `| ${cells[0]?.variant} | DAU alone | | | | | | | | | ${dauBefore.p50Ms} ms (${dauBefore.maxMs}) |`,
        );
      }
    }
    const loops = queryApps.filter((a) => a !== 'none');
    console.log(
      `\n| server | events a request | clients | ${loops.map((a) => `with loop of ${a} / without`).join(' | ')} |\n|---|---:|---:|${loops.map(() => '---:|').join('')}`,
    );
    for (const { cells } of summaries.filter((r) => r.dauBefore)) {
      for (const c of cells.filter((x) => x.queryApp === 'none')) {
        const ratios = loops.map((app) => {
          const loaded = cells.find(
            (x) => x.queryApp === app && x.size === c.size && x.clients === c.clients,
          );
          return loaded ? (loaded.eventsPerSecond / c.eventsPerSecond).toFixed(2) : '';
        });
        console.log(`| ${c.variant} | ${c.size} | ${c.clients} | ${ratios.join(' | ')} |`);
      }
    }
    console.log(
      `\n${JSON.stringify({ node: process.version, seconds, queryLoops, driver, fsyncStart, fsyncEnd, fsyncBusy, results }, null, 2)}`,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
