import { AthenaClient } from '@aws-sdk/client-athena';
import { S3Client } from '@aws-sdk/client-s3';
import { AthenaStatements } from '../../lambdas/rollups/athena-statements';
import { RollupJob, type RollupJobOptions } from '../../lambdas/rollups/rollup-job';
import type { RollupManifest } from '../../lambdas/rollups/rollup-manifest';
import { FakeAthena, FakeBucket, type FakeResult } from './fake-aws';

const NOW = Date.parse('2026-03-10T12:00:00Z');
const MANIFEST = 'rollups/manifests/app_id=demo.json';
const key = (dt: string, name: string) => `events/app_id=demo/dt=${dt}/${name}`;
const path = (dt: string, name: string) => `'s3://lake/${key(dt, name)}'`;

let log: string[];
let bucket: FakeBucket;
let athena: FakeAthena;

/** Athena's answers: the day summaries (5 records per listed day), and `extra` first. */
function answers(extra: (sql: string) => FakeResult | undefined = () => undefined) {
  return (sql: string): FakeResult => {
    const special = extra(sql);
    if (special) return special;
    if (sql.startsWith('SELECT app_id, dt, count(*) AS records')) {
      const [, first, last] = /dt BETWEEN '([\d-]+)' AND '([\d-]+)'/.exec(sql) ?? [];
      const days = [...new Set([...bucket.objects.keys()].map((k) => /dt=([\d-]+)\//.exec(k)?.[1] ?? ''))];
      return {
        columns: [
          ['app_id', 'varchar'],
          ['dt', 'varchar'],
          ['records', 'bigint'],
          ['latest_arrival', 'bigint'],
        ],
        rows: days
          .filter((dt) => dt >= (first ?? '') && dt <= (last ?? ''))
          .map((dt) => ['demo', dt, '5', String(Date.parse(`${dt}T23:00:00Z`))]),
      };
    }
    return {};
  };
}

function setUp(extra?: (sql: string) => FakeResult | undefined) {
  bucket?.mock.restore();
  athena?.mock.restore();
  log = [];
  bucket = new FakeBucket(log);
  athena = new FakeAthena(answers(extra), log);
}

function job(options: Partial<RollupJobOptions> = {}) {
  return new RollupJob({
    bucket: 'lake',
    s3: new S3Client({}),
    statements: new AthenaStatements({
      client: new AthenaClient({}),
      workGroup: 'kpi-rollups',
      database: 'kpi',
      pollDelayMs: 1,
    }),
    apps: async () => ['demo'],
    now: () => NOW,
    ...options,
  });
}

const context = (runId = 'run-1', remainingMs = 15 * 60_000) => ({ runId, remainingMs: () => remainingMs });
const manifest = () => bucket.json(MANIFEST) as RollupManifest | undefined;
const kinds = (statements: readonly string[]) =>
  statements.map((s) =>
    s.startsWith('MERGE INTO') || s.startsWith('OPTIMIZE')
      ? s
          .split(/\s+/)
          .slice(0, s.startsWith('OPTIMIZE') ? 2 : 3)
          .join(' ')
      : s.startsWith('UNLOAD')
        ? 'UNLOAD'
        : s.startsWith('SELECT count(*)')
          ? 'COUNT'
          : s.startsWith('SELECT app_id, dt, count(*)')
            ? 'SUMMARY'
            : s,
  );
const BUILD_STATEMENTS = [
  'MERGE INTO rollup_clients',
  'MERGE INTO rollup_activity',
  'MERGE INTO rollup_client_days',
  'MERGE INTO rollup_event_stats',
  'SUMMARY',
];
const OPTIMIZE_STATEMENTS = [
  'OPTIMIZE rollup_activity',
  'OPTIMIZE rollup_client_days',
  'OPTIMIZE rollup_event_stats',
  'OPTIMIZE rollup_clients',
];
const RANGE_STATEMENTS = [...BUILD_STATEMENTS, ...OPTIMIZE_STATEMENTS];

describe('the rollup job', () => {
  beforeEach(() => setUp());

  it('rebuilds the days up to yesterday without a current rollup, in ranges of consecutive days, clients first and the manifest last', async () => {
    for (const dt of ['2026-03-06', '2026-03-07', '2026-03-09', '2026-03-10'])
      bucket.put(key(dt, 'a.parquet'), dt);
    log.length = 0;

    const run = await job().run(context());

    expect(run.apps).toEqual([
      {
        appId: 'demo',
        compacted: [],
        rebuilt: [
          { appId: 'demo', firstDt: '2026-03-06', lastDt: '2026-03-07' },
          { appId: 'demo', firstDt: '2026-03-09', lastDt: '2026-03-09' },
        ],
        pending: [],
      },
    ]);
    expect(kinds(athena.statements)).toEqual([...RANGE_STATEMENTS, ...RANGE_STATEMENTS]);
    expect(log.filter((l) => l.startsWith('put'))).toEqual([`put ${MANIFEST}`, `put ${MANIFEST}`]);
    // The manifest is written after the five build statements, before the OPTIMIZEs.
    expect(log.indexOf(`put ${MANIFEST}`)).toBe(5);
    const [clients, activity, clientDays, stats, summary, optimizeActivity, , , optimizeClients] =
      athena.statements;
    expect(optimizeActivity).toBe(
      "OPTIMIZE rollup_activity REWRITE DATA USING BIN_PACK\nWHERE app_id = 'demo' AND dt BETWEEN '2026-03-06' AND '2026-03-07'",
    );
    expect(optimizeClients).toBe(
      "OPTIMIZE rollup_clients REWRITE DATA USING BIN_PACK\nWHERE app_id = 'demo'",
    );
    for (const statement of [clients, activity, clientDays, stats, summary]) {
      expect(statement).toContain("app_id = 'demo'");
      expect(statement).toContain("dt BETWEEN '2026-03-06' AND '2026-03-07'");
      expect(statement).not.toContain('?');
    }
    expect(clients).toContain('WHEN NOT MATCHED THEN INSERT (app_id, client_key, client_id');
    expect(activity).toContain('WHEN MATCHED AND s.gone THEN DELETE');
    expect(activity).toContain('FULL OUTER JOIN');
    expect(stats).toContain('THEN UPDATE SET events = s.events');
    // The client days are the activity's clients, read from the activity just merged.
    expect(clientDays).toContain('SELECT DISTINCT app_id, dt, client_key\nFROM rollup_activity');
    expect(clientDays).toContain('WHEN MATCHED AND s.gone THEN DELETE');

    const days = manifest()?.days ?? {};
    expect(Object.keys(days).sort()).toEqual(['2026-03-06', '2026-03-07', '2026-03-09']);
    expect(days['2026-03-06']).toMatchObject({
      objects: [{ name: 'a.parquet', etag: bucket.etag(key('2026-03-06', 'a.parquet')), size: 10 }],
      records: 5,
      latestArrival: Date.parse('2026-03-06T23:00:00Z'),
      tables: ['rollup_activity', 'rollup_client_days', 'rollup_event_stats'],
    });
    expect(new Set(Object.values(days).map((d) => d.version)).size).toBe(3);
  });

  it('rebuilds the days of a manifest written before rollup_client_days existed, and only those', async () => {
    for (const dt of ['2026-03-07', '2026-03-08', '2026-03-09']) bucket.put(key(dt, 'a.parquet'), dt);
    await job().run(context('run-1'));
    const current = manifest();
    // An older job's entries name no tables: their days have no rows in rollup_client_days.
    const { tables: _, ...older } = current?.days['2026-03-08'] ?? {};
    bucket.put(MANIFEST, JSON.stringify({ ...current, days: { ...current?.days, '2026-03-08': older } }));
    const before = athena.statements.length;

    const run = await job().run(context('run-2'));

    expect(run.apps[0]?.rebuilt).toEqual([{ appId: 'demo', firstDt: '2026-03-08', lastDt: '2026-03-08' }]);
    expect(kinds(athena.statements.slice(before))).toEqual(RANGE_STATEMENTS);
    expect(athena.statements.slice(before).every((s) => !s.includes("'2026-03-07'"))).toBe(true);
    expect(manifest()?.days['2026-03-08']?.tables).toContain('rollup_client_days');
    expect(manifest()?.days['2026-03-07']).toEqual(current?.days['2026-03-07']);
  });

  it('does nothing more while every closed day is current, and rebuilds only a day that received a late object', async () => {
    for (const dt of ['2026-03-07', '2026-03-08', '2026-03-09']) bucket.put(key(dt, 'a.parquet'), dt);
    await job().run(context('run-1'));
    const first = manifest();
    const statementsBefore = athena.statements.length;

    await job().run(context('run-2'));
    expect(athena.statements.length).toBe(statementsBefore);
    expect(manifest()).toEqual(first);

    // Yesterday is not closed yet: a late object makes it stale, and it is rebuilt, not compacted.
    bucket.put(key('2026-03-09', 'late.parquet'), 'late');
    const run = await job().run(context('run-3'));
    expect(run.apps[0]).toMatchObject({
      compacted: [],
      rebuilt: [{ appId: 'demo', firstDt: '2026-03-09', lastDt: '2026-03-09' }],
    });
    expect(athena.statements.slice(statementsBefore).every((s) => !s.includes("'2026-03-08'"))).toBe(true);
    const after = manifest();
    expect(after?.days['2026-03-09']?.objects.map((o) => o.name)).toEqual(['a.parquet', 'late.parquet']);
    expect(after?.days['2026-03-09']?.version).not.toBe(first?.days['2026-03-09']?.version);
    expect(after?.days['2026-03-08']).toEqual(first?.days['2026-03-08']);
  });

  it('leaves the manifest as it was when a statement fails, and the next run rebuilds the same days', async () => {
    bucket.put(key('2026-03-09', 'a.parquet'), 'x');
    await job().run(context('run-1'));
    const before = manifest();
    bucket.put(key('2026-03-09', 'late.parquet'), 'late');
    setUpKeeping((sql) =>
      sql.startsWith('MERGE INTO rollup_activity') ? { fails: 'ICEBERG_COMMIT_ERROR' } : undefined,
    );

    await expect(job().run(context('run-2'))).rejects.toThrow('ended FAILED: ICEBERG_COMMIT_ERROR');
    expect(kinds(athena.statements)).toEqual(['MERGE INTO rollup_clients', 'MERGE INTO rollup_activity']);
    expect(manifest()).toEqual(before);

    setUpKeeping();
    const run = await job().run(context('run-3'));
    expect(run.apps[0]?.rebuilt).toEqual([{ appId: 'demo', firstDt: '2026-03-09', lastDt: '2026-03-09' }]);
    expect(manifest()?.days['2026-03-09']?.objects).toHaveLength(2);
  });

  it('compacts a closed day: unloads exactly the listed objects, copies, counts, then deletes only those originals', async () => {
    bucket.put(key('2026-03-07', 'a.parquet'), 'aaa');
    bucket.put(key('2026-03-07', 'b.parquet'), 'bbb');
    bucket.put(key('2026-03-09', 'a.parquet'), 'yesterday');
    bucket.put(key('2026-03-09', 'b.parquet'), 'yesterday too');
    setUpKeeping((sql) => {
      if (sql.startsWith('UNLOAD')) {
        const to = /TO 's3:\/\/lake\/([^']+)'/.exec(sql)?.[1] ?? '';
        bucket.put(`${to}20260310_000000_0`, 'aaabbb');
        // Firehose delivers to the same partition while the UNLOAD runs.
        bucket.put(key('2026-03-07', 'c.parquet'), 'ccc');
        return {};
      }
      if (sql.startsWith('SELECT count(*)')) {
        const paths = sql.match(/'s3:\/\/[^']+'/g) ?? [];
        return {
          columns: [['records', 'bigint']],
          rows: [[String(paths.some((p) => p.includes('compacted')) ? 2 : paths.length)]],
        };
      }
      return undefined;
    });
    log.length = 0;

    const run = await job().run(context('run-9'));

    expect(run.apps[0]?.compacted).toEqual(['2026-03-07']);
    expect(kinds(athena.statements).slice(0, 3)).toEqual(['COUNT', 'UNLOAD', 'COUNT']);
    const [countBefore, unload, countAfter] = athena.statements;
    for (const statement of [countBefore, unload]) {
      expect(statement).toContain(
        `"$path" IN (${path('2026-03-07', 'a.parquet')}, ${path('2026-03-07', 'b.parquet')})`,
      );
      expect(statement).not.toContain('c.parquet');
    }
    expect(unload).toContain("TO 's3://lake/rollups/compaction/run-9/app_id=demo/dt=2026-03-07/0/'");
    expect(unload).toContain("format = 'PARQUET'");
    const compacted = key('2026-03-07', 'compacted-run-9-0-0.parquet');
    expect(countAfter).toContain(`"$path" IN ('s3://lake/${compacted}')`);
    const writes = log.filter((l) => !l.startsWith('athena') && !l.startsWith('put rollups/manifests'));
    expect(writes).toEqual([
      'put rollups/compaction/run-9/app_id=demo/dt=2026-03-07/0/20260310_000000_0',
      `put ${key('2026-03-07', 'c.parquet')}`,
      `copy rollups/compaction/run-9/app_id=demo/dt=2026-03-07/0/20260310_000000_0 -> ${compacted}`,
      `delete ${key('2026-03-07', 'a.parquet')}`,
      `delete ${key('2026-03-07', 'b.parquet')}`,
      'delete rollups/compaction/run-9/app_id=demo/dt=2026-03-07/0/20260310_000000_0',
    ]);
    expect(bucket.objects.get(compacted)).toBe('aaabbb');
    expect(bucket.objects.has(key('2026-03-07', 'c.parquet'))).toBe(true);
    expect(bucket.objects.has(key('2026-03-09', 'a.parquet'))).toBe(true);
    // The compacted day is rebuilt in the same run, from the partition as it is after compaction.
    expect(manifest()?.days['2026-03-07']?.objects.map((o) => o.name)).toEqual([
      'c.parquet',
      'compacted-run-9-0-0.parquet',
    ]);
  });

  it('keeps the originals and removes the copies when the copies do not hold as many records', async () => {
    bucket.put(key('2026-03-07', 'a.parquet'), 'aaa');
    bucket.put(key('2026-03-07', 'b.parquet'), 'bbb');
    setUpKeeping((sql) => {
      if (sql.startsWith('UNLOAD')) {
        const to = /TO 's3:\/\/lake\/([^']+)'/.exec(sql)?.[1] ?? '';
        bucket.put(`${to}part-0`, 'aaa');
        return {};
      }
      if (sql.startsWith('SELECT count(*)')) {
        const paths = sql.match(/'s3:\/\/[^']+'/g) ?? [];
        return {
          columns: [['records', 'bigint']],
          rows: [[paths.some((p) => p.includes('compacted')) ? '1' : '2']],
        };
      }
      return undefined;
    });

    await expect(job().run(context('run-4'))).rejects.toThrow('the copies hold 1 records, the originals 2');
    expect([...bucket.objects.keys()].sort()).toEqual([
      key('2026-03-07', 'a.parquet'),
      key('2026-03-07', 'b.parquet'),
    ]);
    expect(manifest()).toBeUndefined();
  });

  it('starts nothing while a statement of an earlier run is still running', async () => {
    bucket.put(key('2026-03-08', 'a.parquet'), 'x');
    athena.running = ['q-old'];
    const run = await job().run(context());
    expect(run).toEqual({ skipped: 'a query of the rollup workgroup is still running', apps: [] });
    expect(athena.statements).toEqual([]);
    expect(manifest()).toBeUndefined();
  });

  it('leaves the days for the next run when too little time is left, and splits long ranges', async () => {
    for (const dt of ['2026-03-01', '2026-03-02', '2026-03-03']) bucket.put(key(dt, 'a.parquet'), dt);
    const late = await job().run(context('run-1', 60_000));
    expect(late.apps[0]).toMatchObject({ rebuilt: [], pending: ['2026-03-01', '2026-03-02', '2026-03-03'] });
    expect(athena.statements).toEqual([]);

    const split = await job({ maxDaysPerRange: 2 }).run(context('run-2'));
    expect(split.apps[0]?.rebuilt).toEqual([
      { appId: 'demo', firstDt: '2026-03-01', lastDt: '2026-03-02' },
      { appId: 'demo', firstDt: '2026-03-03', lastDt: '2026-03-03' },
    ]);
    expect(() => job({ maxDaysPerRange: 101 })).toThrow('maxDaysPerRange must be an integer from 1 to 100');
  });

  it('stops a statement still running at the run’s deadline, and fails the run', async () => {
    bucket.put(key('2026-03-09', 'a.parquet'), 'x');
    const statements = new AthenaStatements({
      client: new AthenaClient({}),
      workGroup: 'kpi-rollups',
      database: 'kpi',
      pollDelayMs: 1,
    });
    // 40 s left and 40 s of margin: the deadline is now; no reserve, so the range is started.
    const short = job({ statements, reserveMs: 0, marginMs: 40_000 });
    await expect(short.run(context('run-1', 40_000))).rejects.toThrow(
      "Athena query q1 had not ended by the run's deadline and was stopped",
    );
    expect(athena.stopped).toEqual(['q1']);
    expect(manifest()).toBeUndefined();
  });

  it('removes the rows and the manifest entry of a day whose objects are gone', async () => {
    bucket.put(key('2026-03-05', 'a.parquet'), 'x');
    bucket.put(key('2026-03-06', 'a.parquet'), 'y');
    await job().run(context('run-1'));
    bucket.objects.delete(key('2026-03-05', 'a.parquet'));
    const before = athena.statements.length;
    const run = await job().run(context('run-2'));
    expect(run.apps[0]?.rebuilt).toEqual([{ appId: 'demo', firstDt: '2026-03-05', lastDt: '2026-03-05' }]);
    expect(athena.statements[before + 1]).toContain("dt BETWEEN '2026-03-05' AND '2026-03-05'");
    expect(Object.keys(manifest()?.days ?? {})).toEqual(['2026-03-06']);
  });
});

/** A new Athena (other answers) over the same bucket and log. */
function setUpKeeping(extra?: (sql: string) => FakeResult | undefined) {
  athena.mock.restore();
  athena = new FakeAthena(answers(extra), log);
}
