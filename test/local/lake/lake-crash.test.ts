import { access, cp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { logger } from '../../../lambdas/core/logger';
import { sqlString } from '../../../lambdas/core/sql-literal';
import { DAY_MS } from '../../../lambdas/core/time';
import { ROLLUP_CLIENTS, ROLLUP_TABLES } from '../../../lambdas/rollups/rollup-tables';
import { DuckDbEngine } from '../../../local/duckdb/duckdb-engine';
import { Lake } from '../../../local/lake/lake';
import { partitionDir, partitionFiles } from '../../../local/lake/lake-files';
import { JOURNAL_DIR } from '../../../local/lake/lake-journal';
import { LOG_DIR } from '../../../local/lake/lake-log';
import type { LakeStep, LakeWork } from '../../../local/lake/lake-maintenance';
import { LakeRollups } from '../../../local/rollups/lake-rollups';
import { rollupDir } from '../../../local/rollups/rollup-files';
import { readManifest } from '../../../local/rollups/rollup-manifest';
import { eventRecord } from '../../support/generate-events';
import { filesBelow, lakeRows, sqlRows, tempDir, withLake } from '../support/lake-fixtures';

/**
 * A crash between any two durable steps of the lake's work loses nothing acknowledged and
 * duplicates nothing. While a lake is held at a step, the test copies its folder: that copy is
 * what a crash there (SIGKILL; the page cache survives) leaves on disk, at some moment while
 * the copy was taken (the log keeps taking writes meanwhile). A second lake opened on the copy
 * must count every event acknowledged before the copy began, once, and none not sent by its end.
 */

const DAY = Date.parse('2026-04-01T00:00:00Z');
const STEPS: readonly LakeStep[] = ['staged', 'journaled', 'moved', 'deleted', 'done'];
const CASES = (['conversion', 'compaction', 'import'] as const).flatMap((work) =>
  STEPS.map((step) => [work, step] as const),
);
const IMPORTED = 40;

let work: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;

beforeEach(async () => {
  work = await tempDir('lake-crash');
  instance = await DuckDBInstance.create(':memory:');
});

afterEach(async () => {
  instance.closeSync();
  await work.remove();
  jest.restoreAllMocks();
});

const record = (app: string, n: number) =>
  eventRecord({
    appId: app,
    clientId: `c${n % 5}`,
    eventId: `${app}-${n}`,
    eventType: '_session.start',
    timestamp: DAY + (n % 2) * DAY_MS + n,
  });

/** Parquet files of another lake, staged in the lake layout inside `dataDir` for an import. */
async function stagedImport(dataDir: string): Promise<string> {
  const source = join(work.path, 'import-source');
  await withLake(instance, source, (lake) =>
    lake.sink.put(Array.from({ length: IMPORTED }, (_, n) => record('imported', n))),
  );
  const staged = join(dataDir, '.staging', 'import');
  await cp(join(source, 'events'), staged, { recursive: true });
  return staged;
}

async function counts(lake: Lake, app: string) {
  const engine = new DuckDbEngine({ events: lake, instance });
  const { rows } = await engine.query(
    'SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM events WHERE app_id = ?',
    [app],
  );
  return { rows: Number(rows[0]?.n), events: Number(rows[0]?.d) };
}

describe('the lake after a crash', () => {
  it.each(CASES)('during a %s, after the %s step', async (crashWork: LakeWork, crashStep: LakeStep) => {
    const dataDir = join(work.path, 'lake');
    const image = join(work.path, 'crash-image');
    let sent = 0;
    let acknowledged = 0;
    let atCrash: { acknowledged: number; sent: number } | undefined;
    const lake = await Lake.open({
      dataDir,
      command: 'a test',
      instance,
      convertAfterMs: 60_000,
      onStep: async (step, work) => {
        if (atCrash || step !== crashStep || work !== crashWork) return;
        // Writes go on while the copy is taken: the crash happened at some moment during it.
        const acknowledgedBefore = acknowledged;
        await cp(dataDir, image, { recursive: true });
        atCrash = { acknowledged: acknowledgedBefore, sent };
      },
    });
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const batch = [record('live', sent), record('live', sent + 1), record('live', sent + 2)];
        sent += batch.length;
        await lake.sink.put(batch);
        acknowledged += batch.length;
      }
    })();
    if (crashWork === 'import') await lake.importStaged([await stagedImport(dataDir)]);
    for (let round = 0; round < 6 && !atCrash; round++) await lake.converted();
    writing = false;
    await writer;
    await lake.close();
    expect(atCrash).toBeDefined();

    const warn = jest.spyOn(logger, 'warn');
    await rm(join(image, '.lock'));
    const restarted = await Lake.open({ dataDir: image, command: 'a test after the crash', instance });
    try {
      const live = await counts(restarted, 'live');
      expect(live.events).toBeGreaterThanOrEqual(atCrash?.acknowledged ?? Number.POSITIVE_INFINITY);
      expect(live.events).toBeLessThanOrEqual(atCrash?.sent ?? 0);
      expect(live.rows).toBe(live.events);
      const imported = await counts(restarted, 'imported');
      if (crashWork === 'import') {
        expect(imported).toEqual(
          crashStep === 'staged' ? { rows: 0, events: 0 } : { rows: IMPORTED, events: IMPORTED },
        );
      }

      await restarted.converted();
      expect(await counts(restarted, 'live')).toEqual(live);
      await restarted.close();
      const rows = await lakeRows(instance, image, 'count(*) AS n, count(DISTINCT event_id) AS d');
      expect(rows).toEqual([
        { n: String(live.events + imported.events), d: String(live.events + imported.events) },
      ]);
      expect(await filesBelow(join(image, LOG_DIR))).toEqual([]);
      expect(await filesBelow(join(image, JOURNAL_DIR))).toEqual([]);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      await restarted.close();
    }
  });
});

describe('the lake with rollups after a crash', () => {
  /**
   * A partition that got a late event settles: its small files merge and its rollup is rebuilt,
   * in one journaled step. A crash at any step leaves both changes or neither: once the lake
   * is recovered, the rollup files are exactly those the manifest names, and the day's rollup
   * is current (built from the partition's version) exactly when the step was committed, then
   * holding every record of the partition.
   */
  it.each(STEPS)('during a compaction with a rollup, after the %s step', async (crashStep: LakeStep) => {
    const dataDir = join(work.path, 'lake');
    const image = join(work.path, 'crash-image');
    let armed = false;
    let copied = false;
    const lake = await Lake.open({
      dataDir,
      command: 'a test',
      instance,
      convertAfterMs: 60_000,
      settleAfterMs: 60_000,
      derivations: [new LakeRollups()],
      onStep: async (step, work) => {
        if (!armed || copied || step !== crashStep || work !== 'compaction') return;
        await cp(dataDir, image, { recursive: true });
        copied = true;
      },
    });
    try {
      await lake.sink.put(Array.from({ length: 30 }, (_, n) => record('live', n)));
      await lake.settled();
      await lake.sink.put([record('live', 100), record('live', 102)]);
      await lake.converted();
      armed = true;
      await lake.settled();
    } finally {
      await lake.close();
    }
    expect(copied).toBe(true);

    await rm(join(image, '.lock'));
    // Opened without rollups: it only rolls the journal forward and clears staging.
    const recovered = await Lake.open({ dataDir: image, command: 'a test after the crash', instance });
    await recovered.close();
    const manifest = await readManifest(image, 'live');
    if (!manifest) throw new Error('no manifest');
    const named = [join(rollupDir(image, ROLLUP_CLIENTS, 'live'), manifest.clients)];
    for (const [dt, entry] of Object.entries(manifest.days)) {
      for (const table of ROLLUP_TABLES) {
        const name = entry.files[table.name];
        if (name) named.push(join(rollupDir(image, table, 'live', dt), name));
      }
    }
    for (const path of named) await access(path);
    const rollupFiles = (await filesBelow(join(image, 'rollups'))).filter((f) => f.endsWith('.parquet'));
    expect(rollupFiles.map((f) => join(image, 'rollups', f)).sort()).toEqual([...named].sort());
    const lateDay = '2026-04-01';
    const files = await partitionFiles(partitionDir(image, 'live', lateDay));
    const version = Math.max(...files.map((f) => f.seq));
    const entry = manifest.days[lateDay];
    expect(entry?.version === version).toBe(crashStep !== 'staged');
    expect(files.length === 1).toBe(crashStep !== 'staged');
    for (const [dt, day] of Object.entries(manifest.days)) {
      const held = await partitionFiles(partitionDir(image, 'live', dt));
      if (day.version !== Math.max(...held.map((f) => f.seq))) continue;
      const list = held.map((f) => sqlString(join(partitionDir(image, 'live', dt), f.name))).join(', ');
      expect(await sqlRows(instance, `SELECT count(*)::INT AS n FROM read_parquet([${list}])`)).toEqual([
        { n: day.records },
      ]);
    }
    expect(await filesBelow(join(image, JOURNAL_DIR))).toEqual([]);
  });
});
