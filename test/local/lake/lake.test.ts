import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { logger } from '../../../lambdas/core/logger';
import { DAY_MS } from '../../../lambdas/core/time';
import { DuckDbEngine } from '../../../local/duckdb/duckdb-engine';
import type { PartitionDerivation } from '../../../local/lake/compaction';
import { Lake, type LakeOptions } from '../../../local/lake/lake';
import { lakeStats, stagingPath, syncFile } from '../../../local/lake/lake-files';
import type { LakeStep, LakeWork } from '../../../local/lake/lake-maintenance';
import { eventRecord } from '../../support/generate-events';
import { filesBelow, lakeRows, sqlRows, tempDir } from '../support/lake-fixtures';

const DAY = Date.parse('2026-03-01T00:00:00Z');

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;
let lake: Lake;
let engine: DuckDbEngine;
let events = 0;

const event = (day = 0, app = 'demo') =>
  eventRecord({
    appId: app,
    clientId: `c${events % 7}`,
    eventId: `e${++events}`,
    eventType: '_session.start',
    timestamp: DAY + day * DAY_MS + events,
  });

/** Puts `n` single-event requests into day `day`. */
const put = (n: number, day = 0, app = 'demo') =>
  Promise.all(Array.from({ length: n }, () => lake.sink.put([event(day, app)])));

async function open(options: Partial<LakeOptions> = {}): Promise<void> {
  lake = await Lake.open({
    dataDir: dir.path,
    command: 'a test',
    instance,
    convertAfterMs: 60_000,
    ...options,
  });
  engine = new DuckDbEngine({ events: lake, instance });
}

const count = async () =>
  (await engine.query('SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events', [])).rows[0];

const parquetNames = async () => (await filesBelow(join(dir.path, 'events'))).sort();

/** A promise the test resolves: work that awaits it stays at that step. */
function gate() {
  let open: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

let warn: jest.SpyInstance;

beforeEach(async () => {
  dir = await tempDir('lake');
  instance = await DuckDBInstance.create(':memory:');
  events = 0;
  warn = jest.spyOn(logger, 'warn');
});

afterEach(async () => {
  await lake.close();
  instance.closeSync();
  await dir.remove();
  // Nothing the lake does here may fail, not even in the background.
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
});

describe('the lake', () => {
  it('merges every partition into one file on compactAll, keeping every event once', async () => {
    await open();
    for (let round = 0; round < 3; round++) {
      await put(5, 0);
      await put(2, 1);
      await lake.converted();
    }
    const before = (await lakeRows(instance, dir.path, 'event_id')).map((r) => r.event_id).sort();
    expect(before).toHaveLength(21);

    await lake.compactAll();

    expect(await lakeStats(dir.path)).toMatchObject({ partitions: 2, files: 2 });
    expect((await lakeRows(instance, dir.path, 'event_id')).map((r) => r.event_id).sort()).toEqual(before);
    expect(await count()).toEqual({ n: 21, d: 21 });
  });

  it('compacts only what changed: a big day keeps its file when a late event arrives', async () => {
    await open();
    const big = Array.from({ length: 30_000 }, () => ({
      ...event(0),
      attributes: { pad: randomBytes(100).toString('hex') },
    }));
    await lake.sink.put(big);
    await lake.converted();
    const [bigFile] = await parquetNames();
    expect((await lakeStats(dir.path)).bytes).toBeGreaterThan(3 * 1024 * 1024);

    await put(1, 0);
    await lake.converted();
    await put(1, 0);
    await lake.converted();
    expect(await parquetNames()).toHaveLength(3);
    expect(await parquetNames()).toContain(bigFile);

    // Once the partition settles (here: on close), its two small files merge; the big one stays.
    await lake.close();
    await open();
    const names = await parquetNames();
    expect(names).toHaveLength(2);
    expect(names).toContain(bigFile);
    expect(names.find((n) => n !== bigFile)).toMatch(/\/compacted-\d{16}-/);
    expect(await count()).toEqual({ n: 30_002, d: 30_002 });
  });

  it('answers queries and takes writes while a conversion or compaction is held at any step', async () => {
    const held = gate();
    let holding: string | undefined;
    await open({
      onStep: async (step: LakeStep, work: LakeWork) => {
        if (holding === `${work}:${step}`) await held.closed;
      },
    });
    await put(3);
    await lake.converted();
    for (const point of ['conversion:staged', 'conversion:moved', 'compaction:journaled']) {
      holding = point;
      await put(2);
      const work = lake.converted();
      // Work is held; queries and writes go on and see every acknowledged event exactly once.
      const seen = (await count())?.n;
      await put(1);
      expect(await count()).toEqual({ n: Number(seen) + 1, d: Number(seen) + 1 });
      holding = undefined;
      held.open();
      await work;
    }
    expect(await count()).toEqual({ n: 12, d: 12 });
  });

  it('answers queries exactly while writes and conversions go on beside them', async () => {
    await open({ convertAfterMs: 5 });
    let writing = true;
    let acknowledged = 0;
    const writer = (async () => {
      while (writing) {
        await put(2);
        acknowledged += 2;
      }
    })();
    for (let query = 0; query < 40; query++) {
      const before = acknowledged;
      const counted = await count();
      expect(counted?.n).toBe(counted?.d);
      expect(Number(counted?.n)).toBeGreaterThanOrEqual(before);
      expect(Number(counted?.n)).toBeLessThanOrEqual(events);
    }
    writing = false;
    await writer;
    expect(await count()).toEqual({ n: events, d: events });
  });

  it('loads and reads only the asked app of a pin of one app, also for a put of several apps', async () => {
    await open();
    await put(3, 0, 'app-a');
    await put(2, 1, 'app-b');
    await lake.sink.put([event(0, 'app-a'), event(0, 'app-b')]);
    /** Pending-event tables in the database, and what a pin of `app` counts, by app. */
    const pinOf = async (app?: string) => {
      const pinned = await lake.pin(app === undefined ? {} : { appId: app });
      try {
        const tables = await sqlRows(
          instance,
          "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'lake_%_log_%'",
        );
        const reader = engine.inSlot({
          pin: async () => ({ parts: pinned.parts, release: () => undefined }),
        });
        const { rows } = await reader.query(
          'SELECT app_id, count(*) AS n FROM events GROUP BY app_id ORDER BY app_id',
          [],
        );
        return { loadedTables: Number(tables[0]?.n), counted: rows };
      } finally {
        pinned.release();
      }
    };
    // app-a: 3 single puts and one put of two apps; app-b's events stay unloaded and unread.
    expect(await pinOf('app-a')).toEqual({ loadedTables: 1, counted: [{ app_id: 'app-a', n: 4 }] });
    expect(await pinOf('app-b')).toEqual({ loadedTables: 2, counted: [{ app_id: 'app-b', n: 3 }] });
    await put(1, 0, 'app-b');
    expect(await pinOf()).toEqual({
      loadedTables: 2,
      counted: [
        { app_id: 'app-a', n: 4 },
        { app_id: 'app-b', n: 4 },
      ],
    });
  });

  it("acknowledges writes while more queries than the thread pool has run, with the server's bound on queries", async () => {
    await open();
    // As the local server does: at most 2 queries at once leave a thread of the pool (4) to the log.
    const bounded = new DuckDbEngine({ events: lake, instance, maxConcurrentQueries: 2 });
    // Each query reads a named pipe: it holds its pool thread until something writes to it.
    const pipes = Array.from({ length: 6 }, (_, i) => join(dir.path, `pipe-${i}`));
    execFileSync('mkfifo', pipes);
    let finished = false;
    const blocked = Promise.all(
      pipes.map((pipe) =>
        bounded.query(
          // No sniffing: the statement must open its pipe once (a prepared statement binds, then runs).
          `SELECT * FROM read_csv('${pipe}', columns = {'line': 'VARCHAR'}, auto_detect = false, header = false, delim = ',', quote = '"')`,
          [],
        ),
      ),
    ).then(() => {
      finished = true;
    });
    await put(3);
    expect(finished).toBe(false);
    // Released from a child process, one pipe at a time as the queued queries open them.
    // Its exit is awaited through a promise taken at spawn (the event may fire before `blocked`).
    const release = spawn('sh', ['-c', pipes.map((p) => `echo x > '${p}'`).join('; ')]);
    const released = new Promise((resolve) => release.on('exit', resolve));
    await blocked;
    expect(await released).toBe(0);
    expect(await count()).toEqual({ n: 3, d: 3 });
  });

  it('keeps the files a query reads until it is done, without making compaction wait for it', async () => {
    await open();
    await put(2);
    await lake.converted();
    await put(2);
    await lake.converted();
    const pinned = await lake.pin();
    const read = [pinned.parts.parquet].flat();
    await put(2);
    await lake.compactAll();
    for (const path of read) await expect(access(path ?? '')).resolves.toBeUndefined();
    const during = await sqlRows(
      instance,
      `SELECT count(*) AS n FROM read_parquet([${read.map((p) => `'${p}'`).join(', ')}])`,
    );
    expect(during).toEqual([{ n: '4' }]);
    pinned.release();
    await lake.converted();
    for (const path of read) await expect(access(path ?? '')).rejects.toThrow(/ENOENT/);
    expect(await count()).toEqual({ n: 6, d: 6 });
  });

  it('versions a partition by its newest write: a write changes it, a conversion or compaction does not', async () => {
    await open();
    const version = async (day: string) => {
      const pinned = await lake.pin();
      pinned.release();
      return pinned.version('demo', day);
    };
    expect(await version('2026-03-01')).toBe(0);
    await put(2, 0);
    const afterWrite = await version('2026-03-01');
    expect(afterWrite).toBeGreaterThan(0);
    await put(2, 1);
    expect(await version('2026-03-01')).toBe(afterWrite);
    await lake.converted();
    expect(await version('2026-03-01')).toBe(afterWrite);
    await lake.compactAll();
    expect(await version('2026-03-01')).toBe(afterWrite);
    const other = await version('2026-03-02');
    await put(1, 0);
    expect(await version('2026-03-01')).toBeGreaterThan(Math.max(afterWrite, other));
    expect(await version('2026-03-02')).toBe(other);
    const beforeRestart = await version('2026-03-01');
    await lake.close();
    await open();
    expect(await version('2026-03-01')).toBe(beforeRestart);
  });

  it('converts a backlog a batch at a time, each event once', async () => {
    const batches: number[] = [];
    await open({
      convertBatchBytes: 1,
      onStep: async (step: LakeStep, work: LakeWork) => {
        if (work === 'conversion' && step === 'staged') batches.push(Number((await count())?.n));
      },
    });
    await put(2);
    lake.sink.rotate();
    await put(1);
    lake.sink.rotate();
    await put(3);
    await lake.converted();
    // Three closed segments, one batch each: every event counted once at every step.
    expect(batches).toEqual([6, 6, 6]);
    expect(await count()).toEqual({ n: 6, d: 6 });
    expect(await lakeRows(instance, dir.path, 'count(*) AS n')).toEqual([{ n: '6' }]);
  });

  describe("bounds the log's backlog", () => {
    /** Opens a lake whose conversions stop at staging until `held` opens; `staging` resolves once one does. */
    async function openHeld(options: Partial<LakeOptions>) {
      const held = gate();
      const reached = gate();
      await open({
        maxBacklogBytes: 1,
        onStep: async (step: LakeStep, work: LakeWork) => {
          if (work !== 'conversion' || step !== 'staged') return;
          reached.open();
          await held.closed;
        },
        ...options,
      });
      return { held, staging: reached.closed };
    }

    /** Whether a promise has settled, after the event loop's pending callbacks ran. */
    async function settled(promise: Promise<unknown>): Promise<boolean> {
      let done = false;
      void promise.then(
        () => {
          done = true;
        },
        () => {
          done = true;
        },
      );
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      return done;
    }

    it('makes puts wait while the backlog is at its bound, and stores them once a conversion brings it below', async () => {
      const { held, staging } = await openHeld({});
      await put(1);
      // The log now holds more than the bound: the next puts wait, and a conversion starts at once.
      const waiting = [put(2), put(1)];
      await staging;
      expect(await settled(Promise.all(waiting))).toBe(false);
      expect(await count()).toEqual({ n: 1, d: 1 });
      held.open();
      await Promise.all(waiting);
      expect(await count()).toEqual({ n: 4, d: 4 });
    });

    it('refuses a put that waited too long with throttling, storing nothing of it', async () => {
      const { held, staging } = await openHeld({ backlogWaitMs: 20 });
      await put(1);
      const refused = put(1);
      await staging;
      await expect(refused).rejects.toMatchObject({
        status: 429,
        headers: { 'Retry-After': '1' },
        message: expect.stringMatching(/behind converting its log.*were not stored/),
      });
      expect(await count()).toEqual({ n: 1, d: 1 });
      held.open();
      await lake.converted();
      expect(await count()).toEqual({ n: 1, d: 1 });
      // Once converted, puts are taken at once again.
      await put(1);
      expect(await count()).toEqual({ n: 2, d: 2 });
    });

    it('stores the waiting puts when it closes', async () => {
      const { held, staging } = await openHeld({});
      await put(1);
      const waiting = put(2);
      await staging;
      const closing = lake.close();
      held.open();
      await Promise.all([waiting, closing]);
      await open();
      expect(await count()).toEqual({ n: 3, d: 3 });
    });
  });

  it('runs all its work one piece at a time: no two conversions or compactions overlap', async () => {
    const trace: string[] = [];
    await open({
      convertAfterMs: 1,
      onStep: async (step: LakeStep, work: LakeWork) => {
        trace.push(`${work}:${step}`);
        await new Promise((resolve) => setImmediate(resolve));
      },
    });
    const writes = (async () => {
      for (let i = 0; i < 40; i++) await put(3, i % 3);
    })();
    await Promise.all([writes, lake.compactAll(), lake.converted(), lake.compactAll()]);
    await lake.close();
    // Between a piece of work's staging and its move into the lake, nothing else happens.
    const begun = trace.flatMap((t, i) => (t.endsWith(':staged') ? [i] : []));
    expect(begun.length).toBeGreaterThan(3);
    for (const i of begun) {
      const work = trace[i]?.split(':')[0];
      const nextStarts = trace.slice(i + 1).findIndex((t) => t.endsWith(':staged'));
      const moved = trace.slice(i + 1).indexOf(`${work}:moved`);
      expect(moved).toBeGreaterThanOrEqual(0);
      if (nextStarts >= 0) expect(moved).toBeLessThan(nextStarts);
    }
    expect(await lakeRows(instance, dir.path, 'count(*) AS n')).toEqual([{ n: '120' }]);
  });

  it('commits what a derivation writes together with the compaction it belongs to', async () => {
    /** A stand-in for a per-day rollup: the partition's event count, in `derived/<app>/<day>.json`. */
    const counts: PartitionDerivation = {
      derive: async ({ partition, files, version, context }) => {
        const list = files.map((f) => `'${f}'`).join(', ');
        const reader = await context.connection.runAndReadAll(`SELECT count(*) FROM read_parquet([${list}])`);
        const staged = await stagingPath(context.dataDir, '.json');
        await writeFile(staged, JSON.stringify({ events: Number(reader.getRows()[0]?.[0]), version }));
        await syncFile(staged);
        return {
          moves: [
            { from: staged, to: join(context.dataDir, 'derived', partition.appId, `${partition.dt}.json`) },
          ],
          deletes: [],
        };
      },
    };
    await open({ derivations: [counts] });
    await put(3, 0);
    await lake.converted();
    await put(4, 0);
    await lake.converted();
    const pinned = await lake.pin();
    pinned.release();
    // The partition settles on close: its small files merge and the derivation runs in the same step.
    await lake.close();
    const derived = JSON.parse(await readFile(join(dir.path, 'derived', 'demo', '2026-03-01.json'), 'utf8'));
    expect(derived).toEqual({ events: 7, version: pinned.version('demo', '2026-03-01') });
    expect(await lakeStats(dir.path)).toMatchObject({ files: 1 });
    await open();
  });

  it('refuses to open a log segment that holds something other than event lines', async () => {
    await open();
    await lake.close();
    await mkdir(join(dir.path, 'log'), { recursive: true });
    await writeFile(join(dir.path, 'log', '000000000009.ndjson'), 'this is not JSON\n');
    await expect(open()).rejects.toThrow(/000000000009\.ndjson/);
    await writeFile(join(dir.path, 'log', '000000000009.ndjson'), '');
    await open();
  });
});
