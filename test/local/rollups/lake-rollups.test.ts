import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { logger } from '../../../lambdas/core/logger';
import { sqlString } from '../../../lambdas/core/sql-literal';
import { Lake, type PinnedLake } from '../../../local/lake/lake';
import type { LakeStep, LakeWork } from '../../../local/lake/lake-maintenance';
import { LakeRollupCatalog } from '../../../local/rollups/lake-rollup-catalog';
import {
  LakeRollups,
  type LakeRollupsOptions,
  type RollupManifests,
} from '../../../local/rollups/lake-rollups';
import { readManifests } from '../../../local/rollups/rollup-manifest';
import { eventRecord } from '../../support/generate-events';
import { asRolledUpBeforeClientDays } from '../../support/older-rollups';
import { filesBelow, sqlRows, tempDir } from '../support/lake-fixtures';

/**
 * The local rollups as a derivation of the lake: built when a partition settles, on open and by
 * `compactAll`, committed with it, and judged current per pinned snapshot (the catalog).
 */

const event = (client: string, iso: string, type = '_session.start') =>
  eventRecord({
    appId: 'demo',
    clientId: client,
    eventId: `${client}-${iso}-${type}`,
    eventType: type,
    timestamp: Date.parse(iso),
  });

const DAYS = ['2026-03-01', '2026-03-02', '2026-03-05', '2026-03-09'];

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;
let lake: Lake | undefined;
let rollups: LakeRollups;
let warn: jest.SpyInstance;

async function open(
  options: LakeRollupsOptions = {},
  onStep?: (step: LakeStep, work: LakeWork) => void | Promise<void>,
): Promise<Lake> {
  rollups = new LakeRollups(options);
  lake = await Lake.open({
    dataDir: dir.path,
    command: 'a test',
    instance,
    convertAfterMs: 3_600_000,
    settleAfterMs: 3_600_000,
    derivations: [rollups],
    ...(onStep ? { onStep } : {}),
  });
  return lake;
}

async function close(): Promise<void> {
  await lake?.close();
  lake = undefined;
}

/** A pinned snapshot with the manifests pinned alongside, and its catalog. */
async function pinned(from: Lake) {
  let manifests: RollupManifests = new Map();
  const pin: PinnedLake = await from.pin({
    alongside: () => {
      manifests = rollups.manifests;
    },
  });
  return { pin, catalog: new LakeRollupCatalog(pin, manifests), manifests };
}

async function coverage(from: Lake, range: { from?: string; to: string } = { to: '2026-03-31' }) {
  const { pin, catalog } = await pinned(from);
  try {
    return await catalog.coverage('demo', range);
  } finally {
    pin.release();
  }
}

/** The app's clients as its one rollup_clients file holds them, by key. */
async function clients(): Promise<Record<string, unknown>[]> {
  const files = await filesBelow(join(dir.path, 'rollups', 'clients'));
  expect(files).toHaveLength(1);
  const path = join(dir.path, 'rollups', 'clients', files[0] ?? '');
  return sqlRows(
    instance,
    `SELECT client_id, client_key, first_event_quarter FROM read_parquet(${sqlString(path)}) ORDER BY client_key`,
  );
}

beforeEach(async () => {
  dir = await tempDir('lake-rollups');
  instance = await DuckDBInstance.create(':memory:');
  warn = jest.spyOn(logger, 'warn');
  const first = await open();
  await first.sink.put(DAYS.map((day) => event('a', `${day}T12:00:00Z`)));
  // The partitions settle on close: their rollups are built.
  await close();
});

afterEach(async () => {
  await close();
  instance.closeSync();
  await dir.remove();
  expect(warn).not.toHaveBeenCalled();
  warn.mockRestore();
});

describe('the local rollups', () => {
  it('leave every day with events to raw events when there are none, as one range across empty days', async () => {
    const withoutRollups = await Lake.open({ dataDir: dir.path, command: 'a test', instance });
    try {
      const pin = await withoutRollups.pin();
      const catalog = new LakeRollupCatalog(pin, new Map());
      expect((await catalog.coverage('demo', { to: '2026-03-31' })).raw).toEqual([
        { from: '2026-03-01', to: '2026-03-09' },
      ]);
      expect((await catalog.coverage('other', { to: '2026-03-31' })).raw).toEqual([]);
      pin.release();
    } finally {
      await withoutRollups.close();
    }
  });

  it('are built when partitions settle, kept across a restart, and current while nothing arrives', async () => {
    const reopened = await open();
    const current = await coverage(reopened);
    expect(current.raw).toEqual([]);
    expect(current.latestArrival).toBe(Date.parse('2026-03-09T12:00:01.500Z'));
    await close();
    expect(await coverage(await open())).toEqual(current);
  });

  it('make a day raw while a late event is in the log or in a file not settled, and current once it settles', async () => {
    const live = await open();
    const before = await coverage(live);
    const untouched = await coverage(live, { from: '2026-03-01', to: '2026-03-02' });
    await live.sink.put([event('b', '2026-03-05T08:00:00Z')]);
    const raw = [{ from: '2026-03-05', to: '2026-03-05' }];
    expect((await coverage(live)).raw).toEqual(raw);
    await live.converted();
    expect((await coverage(live)).raw).toEqual(raw);
    await live.settled();
    const after = await coverage(live);
    expect(after.raw).toEqual([]);
    expect(after.version).not.toBe(before.version);
    // A range without that day keeps its version, and its cached answers.
    expect(await coverage(live, { from: '2026-03-01', to: '2026-03-02' })).toEqual(untouched);
  });

  it('keep a snapshot pinned before a rebuild on the rollup it read, and its files until it is released', async () => {
    const live = await open();
    const old = await pinned(live);
    const oldActivity = old.manifests.get('demo')?.days['2026-03-05']?.files.rollup_activity;
    expect(oldActivity).toBeDefined();
    await live.sink.put([event('b', '2026-03-05T08:00:00Z')]);
    await live.settled();
    expect((await old.catalog.coverage('demo', { to: '2026-03-31' })).raw).toEqual([]);
    const activity = join(dir.path, 'rollups', 'activity', 'app_id=demo', 'dt=2026-03-05');
    expect(await readdir(activity)).toContain(oldActivity);
    old.pin.release();
    await live.converted();
    const left = await readdir(activity);
    expect(left).toHaveLength(1);
    expect(left).not.toContain(oldActivity);
  });

  it('give each client one key for good, and move its first quarter-hour earlier when an earlier event arrives', async () => {
    const live = await open();
    await live.sink.put([event('c', '2026-03-09T10:00:00Z'), event('b', '2026-03-09T11:00:00Z')]);
    await live.settled();
    expect((await clients()).map((c) => [c.client_id, c.client_key])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
    await live.sink.put([
      event('c', '2026-03-01T00:20:00Z', 'level_complete'),
      event('d', '2026-03-02T10:00:00Z'),
    ]);
    await live.settled();
    const after = await clients();
    expect(after.map((c) => [c.client_id, c.client_key])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
      ['d', '4'],
    ]);
    expect(after.find((c) => c.client_id === 'c')?.first_event_quarter).toBe(
      String(Date.parse('2026-03-01T00:15:00Z') / 900_000),
    );
  });

  it('are rebuilt from nothing with rebuild (npm run compact), leaving no file of the old ones', async () => {
    const before = await filesBelow(join(dir.path, 'rollups'));
    const rebuilt = await open({ rebuild: true });
    await rebuilt.compactAll();
    expect((await coverage(rebuilt)).raw).toEqual([]);
    const after = await filesBelow(join(dir.path, 'rollups'));
    expect(after).toHaveLength(before.length);
    expect(after.filter((f) => before.includes(f))).toEqual(['manifests/app_id=demo.json']);
    expect(await filesBelow(join(dir.path, '.staging'))).toEqual([]);
  });

  it('build again the days of a lake rolled up before rollup_client_days existed, reading them raw meanwhile', async () => {
    await asRolledUpBeforeClientDays(dir.path);

    const withoutRollups = await Lake.open({ dataDir: dir.path, command: 'a test', instance });
    try {
      const pin = await withoutRollups.pin();
      const manifests = new Map((await readManifests(dir.path)).map((m) => [m.appId, m]));
      const catalog = new LakeRollupCatalog(pin, manifests);
      expect((await catalog.coverage('demo', { to: '2026-03-31' })).raw).toEqual([
        { from: '2026-03-01', to: '2026-03-09' },
      ]);
      pin.release();
    } finally {
      await withoutRollups.close();
    }

    const upgraded = await open();
    await upgraded.settled();
    expect((await coverage(upgraded)).raw).toEqual([]);
    const clientDays = await filesBelow(join(dir.path, 'rollups', 'client_days'));
    expect(clientDays.map((f) => f.split('/')[1]).sort()).toEqual(DAYS.map((day) => `dt=${day}`));
    const keys = await sqlRows(
      instance,
      `SELECT DISTINCT client_key FROM read_parquet(${sqlString(join(dir.path, 'rollups', 'client_days', '*', '*', '*.parquet'))})`,
    );
    expect(keys).toEqual([{ client_key: '1' }]);
  });

  it('do not call a day current when an event arrived for it while its rollup was being built', async () => {
    let late: Promise<void> | undefined;
    const live = await open({}, async (step, work) => {
      if (work === 'compaction' && step === 'staged' && late === undefined) {
        late = lake?.sink.put([event('e', '2026-03-09T09:00:00Z')]);
        await late;
      }
    });
    await live.sink.put([event('b', '2026-03-09T08:00:00Z')]);
    await live.converted();
    await live.settled();
    expect(late).toBeDefined();
    expect((await coverage(live)).raw).toEqual([{ from: '2026-03-09', to: '2026-03-09' }]);
    await live.settled();
    expect((await coverage(live)).raw).toEqual([]);
  });
});
