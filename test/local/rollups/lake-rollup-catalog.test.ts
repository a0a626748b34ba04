import { DuckDBInstance } from '@duckdb/node-api';
import { compactLake } from '../../../local/lake/compact';
import { LakeRollupCatalog } from '../../../local/rollups/lake-rollup-catalog';
import { eventRecord } from '../../support/generate-events';
import { writeLake } from '../../support/write-lake';
import { tempDir } from '../support/lake-fixtures';

const event = (day: string) =>
  eventRecord({
    appId: 'demo',
    clientId: 'c',
    eventId: day,
    eventType: '_session.start',
    timestamp: Date.parse(`${day}T12:00:00Z`),
  });

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;

beforeEach(async () => {
  dir = await tempDir('rollup-catalog');
  instance = await DuckDBInstance.create(':memory:');
  await writeLake(instance, dir.path, ['2026-03-01', '2026-03-02', '2026-03-05', '2026-03-09'].map(event));
});

afterEach(async () => {
  instance.closeSync();
  await dir.remove();
});

async function compact(): Promise<void> {
  const connection = await instance.connect();
  await compactLake({ connection, dataDir: dir.path });
  connection.closeSync();
}

describe('the local rollup catalog', () => {
  it('reads every day with events from raw events before any rollup, as one range across empty days', async () => {
    const catalog = await LakeRollupCatalog.open(dir.path);
    expect((await catalog.coverage('demo', { to: '2026-03-31' })).raw).toEqual([
      { from: '2026-03-01', to: '2026-03-09' },
    ]);
    expect((await catalog.coverage('other', { to: '2026-03-31' })).raw).toEqual([]);
  });

  it('reads nothing raw once compaction built the rollups, and a written day raw again', async () => {
    await compact();
    const catalog = await LakeRollupCatalog.open(dir.path);
    const current = await catalog.coverage('demo', { from: '2026-03-01', to: '2026-03-31' });
    expect(current.raw).toEqual([]);
    expect(current.latestArrival).toBe(Date.parse('2026-03-09T12:00:01.500Z'));

    await writeLake(instance, dir.path, [event('2026-03-05')]);
    catalog.written([{ appId: 'demo', dt: '2026-03-05', dir: '' }]);
    const stale = await catalog.coverage('demo', { from: '2026-03-01', to: '2026-03-31' });
    expect(stale.raw).toEqual([{ from: '2026-03-05', to: '2026-03-05' }]);
    expect((await catalog.coverage('demo', { from: '2026-03-01', to: '2026-03-02' })).version).toBe(
      (
        await (
          await LakeRollupCatalog.open(dir.path)
        ).coverage('demo', { from: '2026-03-01', to: '2026-03-02' })
      ).version,
    );
  });

  it('finds stale days from the files when it opens, and changes the version of a rebuilt day', async () => {
    await compact();
    const before = await (await LakeRollupCatalog.open(dir.path)).coverage('demo', { to: '2026-03-31' });
    await writeLake(instance, dir.path, [event('2026-03-02')]);
    const catalog = await LakeRollupCatalog.open(dir.path);
    expect((await catalog.coverage('demo', { to: '2026-03-31' })).raw).toEqual([
      { from: '2026-03-02', to: '2026-03-02' },
    ]);
    const connection = await instance.connect();
    await compactLake({ connection, dataDir: dir.path, catalog });
    connection.closeSync();
    const after = await catalog.coverage('demo', { to: '2026-03-31' });
    expect(after.raw).toEqual([]);
    expect(after.version).not.toBe(before.version);
  });

  it('does not call a day current when the sink wrote to it during the compaction', async () => {
    const catalog = await LakeRollupCatalog.open(dir.path);
    const connection = await instance.connect();
    await compactLake({
      connection,
      dataDir: dir.path,
      catalog,
      onStep: (step) => {
        if (step === 'rolled-up') catalog.written([{ appId: 'demo', dt: '2026-03-09', dir: '' }]);
      },
    });
    connection.closeSync();
    expect((await catalog.coverage('demo', { to: '2026-03-31' })).raw).toEqual([
      { from: '2026-03-09', to: '2026-03-09' },
    ]);
  });
});
