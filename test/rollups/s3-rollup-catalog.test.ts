import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { BUILT_TABLES, type LakeObject, type RollupManifest } from '../../lambdas/rollups/rollup-manifest';
import { S3RollupCatalog } from '../../lambdas/rollups/s3-rollup-catalog';
import { FakeBucket } from './fake-aws';

let bucket: FakeBucket;
const catalog = () => new S3RollupCatalog({ bucket: 'lake', client: new S3Client({}) });
const MANIFEST = 'rollups/manifests/app_id=demo.json';
const key = (dt: string, name: string, app = 'demo') => `events/app_id=${app}/dt=${dt}/${name}`;

beforeEach(() => {
  bucket?.mock.restore();
  bucket = new FakeBucket();
});

/** The manifest entry of a day built from its current objects. */
function builtDay(dt: string, version: string, latestArrival: number) {
  const prefix = `events/app_id=demo/dt=${dt}/`;
  const objects: LakeObject[] = [...bucket.objects.keys()]
    .filter((k) => k.startsWith(prefix))
    .map((k) => ({
      name: k.slice(prefix.length),
      etag: bucket.etag(k),
      size: bucket.objects.get(k)?.length ?? 0,
    }));
  return { objects, records: 10, latestArrival, version, tables: BUILT_TABLES };
}

function writeManifest(days: RollupManifest['days']) {
  bucket.put(MANIFEST, JSON.stringify({ appId: 'demo', days }));
}

describe('the deployed rollup catalog (manifest + listing)', () => {
  beforeEach(() => {
    for (const dt of ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-05']) {
      bucket.put(key(dt, 'a.parquet'), `a of ${dt}`);
      bucket.put(key(dt, 'b.parquet'), `b of ${dt}`);
    }
    bucket.put(key('2026-03-02', 'c.parquet', 'demo2'), 'another app');
  });

  it('reads every day from raw events when the app has no manifest, found by listing, not by a GET', async () => {
    const coverage = await catalog().coverage('demo', { from: '2026-03-01', to: '2026-03-05' });
    expect(coverage.raw).toEqual([{ from: '2026-03-01', to: '2026-03-05' }]);
    expect(coverage.latestArrival).toBeUndefined();
    // A GET of a missing key is a 403 to a role that may list some prefixes only.
    expect(bucket.mock.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('reads the manifest again only when its listed ETag changed', async () => {
    writeManifest({ '2026-03-01': builtDay('2026-03-01', 'v1', 1000) });
    const shared = catalog();
    const range = { from: '2026-03-01', to: '2026-03-01' };
    const first = await shared.coverage('demo', range);
    await shared.coverage('demo', range);
    expect(bucket.mock.commandCalls(GetObjectCommand)).toHaveLength(1);
    writeManifest({ '2026-03-01': builtDay('2026-03-01', 'v1-rebuilt', 1000) });
    const rebuilt = await shared.coverage('demo', range);
    expect(bucket.mock.commandCalls(GetObjectCommand)).toHaveLength(2);
    expect(rebuilt.version).not.toBe(first.version);
  });

  it('reads a day from its rollup when its partition holds exactly the objects its rows were built from', async () => {
    writeManifest({
      '2026-03-01': builtDay('2026-03-01', 'v1', 1000),
      '2026-03-02': builtDay('2026-03-02', 'v2', 3000),
      '2026-03-03': builtDay('2026-03-03', 'v3', 2000),
    });
    const coverage = await catalog().coverage('demo', { from: '2026-03-01', to: '2026-03-05' });
    expect(coverage.raw).toEqual([{ from: '2026-03-05', to: '2026-03-05' }]);
    expect(coverage.latestArrival).toBe(3000);
    const lists = bucket.mock.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(lists).toContainEqual({ Bucket: 'lake', Prefix: MANIFEST, MaxKeys: 1 });
    expect(lists).toContainEqual(
      expect.objectContaining({
        Bucket: 'lake',
        Prefix: 'events/app_id=demo/',
        StartAfter: 'events/app_id=demo/dt=2026-03-01',
      }),
    );
  });

  it('reads a day from raw events as soon as a new object is listed in it, before any run of the job', async () => {
    writeManifest({
      '2026-03-01': builtDay('2026-03-01', 'v1', 1000),
      '2026-03-02': builtDay('2026-03-02', 'v2', 3000),
      '2026-03-03': builtDay('2026-03-03', 'v3', 2000),
    });
    const before = await catalog().coverage('demo', { from: '2026-03-01', to: '2026-03-03' });
    bucket.put(key('2026-03-02', 'late.parquet'), 'a late event');
    const after = await catalog().coverage('demo', { from: '2026-03-01', to: '2026-03-03' });
    expect(before.raw).toEqual([]);
    expect(after.raw).toEqual([{ from: '2026-03-02', to: '2026-03-02' }]);
    expect(after.latestArrival).toBe(2000);
    expect(after.version).not.toBe(before.version);
  });

  it('reads a day from raw events when its entry was written before a day table existed', async () => {
    const { tables: _, ...older } = builtDay('2026-03-02', 'v2', 3000);
    writeManifest({
      '2026-03-01': builtDay('2026-03-01', 'v1', 1000),
      '2026-03-02': older,
      '2026-03-03': {
        ...builtDay('2026-03-03', 'v3', 2000),
        tables: ['rollup_activity', 'rollup_event_stats'],
      },
    });
    const coverage = await catalog().coverage('demo', { from: '2026-03-01', to: '2026-03-03' });
    expect(coverage.raw).toEqual([{ from: '2026-03-02', to: '2026-03-03' }]);
    expect(coverage.latestArrival).toBe(1000);
  });

  it('reads a day from raw events when an object changed under the same name, or one was removed', async () => {
    writeManifest({
      '2026-03-01': builtDay('2026-03-01', 'v1', 1000),
      '2026-03-02': builtDay('2026-03-02', 'v2', 3000),
    });
    bucket.put(key('2026-03-01', 'a.parquet'), 'rewritten');
    bucket.objects.delete(key('2026-03-02', 'b.parquet'));
    const coverage = await catalog().coverage('demo', { from: '2026-03-01', to: '2026-03-02' });
    expect(coverage.raw).toEqual([{ from: '2026-03-01', to: '2026-03-02' }]);
  });

  it('keeps the version while the listing and manifest stay the same, and changes it when a day is rebuilt', async () => {
    writeManifest({ '2026-03-01': builtDay('2026-03-01', 'v1', 1000) });
    const range = { from: '2026-03-01', to: '2026-03-01' };
    const first = await catalog().coverage('demo', range);
    const again = await catalog().coverage('demo', range);
    writeManifest({ '2026-03-01': builtDay('2026-03-01', 'v1-rebuilt', 1000) });
    const rebuilt = await catalog().coverage('demo', range);
    expect(again.version).toBe(first.version);
    expect(rebuilt.version).not.toBe(first.version);
    expect(rebuilt.raw).toEqual([]);
  });

  it('reads only the range: days outside it, and other apps, neither count nor change the version', async () => {
    writeManifest({
      '2026-03-02': builtDay('2026-03-02', 'v2', 3000),
      '2026-03-05': builtDay('2026-03-05', 'v5', 9000),
    });
    const range = { from: '2026-03-02', to: '2026-03-02' };
    const first = await catalog().coverage('demo', range);
    bucket.put(key('2026-03-05', 'late.parquet'), 'late, outside the range');
    bucket.put(key('2026-03-02', 'd.parquet', 'demo2'), 'other app');
    const second = await catalog().coverage('demo', range);
    expect(first).toEqual(second);
    expect(first).toMatchObject({ raw: [], latestArrival: 3000 });
  });

  it('reads a day the manifest names but whose objects are gone (expired) from raw events', async () => {
    writeManifest({
      '2026-03-01': builtDay('2026-03-01', 'v1', 1000),
      '2026-03-02': builtDay('2026-03-02', 'v2', 3000),
    });
    bucket.objects.delete(key('2026-03-01', 'a.parquet'));
    bucket.objects.delete(key('2026-03-01', 'b.parquet'));
    const coverage = await catalog().coverage('demo', { from: '2026-03-01', to: '2026-03-02' });
    expect(coverage.raw).toEqual([{ from: '2026-03-01', to: '2026-03-01' }]);
  });

  it('refuses a manifest that is not one', async () => {
    bucket.put(MANIFEST, '{"appId":"other","days":{}}');
    await expect(catalog().coverage('demo', { to: '2026-03-05' })).rejects.toThrow(
      'The rollup manifest rollups/manifests/app_id=demo.json does not name app demo and its days',
    );
  });
});
