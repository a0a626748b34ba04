import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { QueryResult } from '../../../lambdas/core/query-engine';
import { DAY_MS } from '../../../lambdas/core/time';
import { DuckDbEngine } from '../../../local/duckdb/duckdb-engine';
import { LockedEngine } from '../../../local/duckdb/locked-engine';
import {
  type CompactionStep,
  compactLake,
  compactPartitions,
  recoverLake,
} from '../../../local/lake/compact';
import { lakePartitions, lakeStats, type Partition } from '../../../local/lake/lake-files';
import { LakeSink } from '../../../local/lake/lake-sink';
import { ReadWriteLock } from '../../../local/lake/read-write-lock';
import { eventRecord } from '../../support/generate-events';
import { filesBelow, lakeRows, tempDir } from '../support/lake-fixtures';

const DAY = Date.parse('2026-03-01T00:00:00Z');

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

/** Writes `puts` separate puts of 10 events each into 2026-03-01 (and one into 2026-03-02). */
async function smallFiles(puts: number): Promise<void> {
  const sink = new LakeSink({ dataDir: dir.path, instance });
  for (let p = 0; p < puts; p++) {
    await sink.put(
      Array.from({ length: 10 }, (_, i) =>
        eventRecord({
          appId: 'demo',
          clientId: `c${i}`,
          eventId: `p${p}-e${i}`,
          eventType: '_session.start',
          timestamp: DAY + p * 1000 + i,
        }),
      ),
    );
  }
  await sink.put([
    eventRecord({
      appId: 'demo',
      clientId: 'c1',
      eventId: 'x',
      eventType: 'other',
      timestamp: DAY + DAY_MS,
    }),
  ]);
  await sink.close();
}

/** Every row, as sorted text: equal multisets give equal arrays. */
async function allRows(): Promise<string[]> {
  const rows = await lakeRows(instance, dir.path, 'to_json(COLUMNS(*)) AS row');
  return rows.map((r) => String(r.row)).sort();
}

const march1 = async (): Promise<Partition> => {
  const [partition] = await lakePartitions(dir.path);
  if (!partition) throw new Error('no partition');
  return partition;
};

beforeEach(async () => {
  dir = await tempDir('compact');
  instance = await DuckDBInstance.create(':memory:');
  connection = await instance.connect();
});

afterEach(async () => {
  connection.closeSync();
  instance.closeSync();
  await dir.remove();
});

describe('compaction', () => {
  it('merges each partition with several files into one file, keeping every row exactly once', async () => {
    await smallFiles(6);
    const before = await allRows();
    expect((await lakeStats(dir.path)).files).toBe(7);

    const compacted = await compactLake({ connection, dataDir: dir.path });

    // 2026-03-02 has one file: it gets its rollup only.
    expect(compacted.map((p) => p.dt)).toEqual(['2026-03-01', '2026-03-02']);
    expect(await lakeStats(dir.path)).toMatchObject({ partitions: 2, files: 2 });
    expect(await allRows()).toEqual(before);
    // No journal, draft or staged file is left: only Parquet files and the rollup manifest.
    expect((await filesBelow(dir.path)).filter((f) => !f.endsWith('.parquet'))).toEqual([
      'rollups/manifests/app_id=demo.json',
    ]);
  });

  it.each<CompactionStep>(['merged', 'rolled-up', 'journaled', 'committed', 'sources-removed', 'done'])(
    'loses and duplicates nothing when the process dies after the %s step',
    async (crashStep) => {
      await smallFiles(4);
      const before = await allRows();
      const crash = new Error(`crash after ${crashStep}`);
      const onStep = (step: CompactionStep) => {
        if (step === crashStep) throw crash;
      };

      await expect(
        compactPartitions([await march1()], { connection, dataDir: dir.path, onStep }),
      ).rejects.toBe(crash);
      await recoverLake(dir.path);

      expect(await allRows()).toEqual(before);
      await compactLake({ connection, dataDir: dir.path });
      expect(await allRows()).toEqual(before);
      expect(await lakeStats(dir.path)).toMatchObject({ files: 2 });
    },
  );

  it('refuses a journal that does not name its files, and leaves the lake untouched', async () => {
    await smallFiles(2);
    const before = await allRows();
    const journal = join(dir.path, '.compaction.json');
    await writeFile(journal, JSON.stringify({ renames: [{ from: 'x.parquet' }], deletes: 'not a list' }));
    await expect(recoverLake(dir.path)).rejects.toThrow(
      `The compaction journal ${journal} does not name the files to move, to delete and the manifest`,
    );
    await writeFile(journal, '{"merged": ');
    await expect(recoverLake(dir.path)).rejects.toThrow(`The compaction journal ${journal} is not JSON`);
    expect(await allRows()).toEqual(before);
  });

  it('counts distinct events right even while a crashed commit leaves rows twice on disk', async () => {
    await smallFiles(3);
    const onStep = (step: CompactionStep) => {
      if (step === 'committed') throw new Error('crash');
    };
    await expect(
      compactPartitions([await march1()], { connection, dataDir: dir.path, onStep }),
    ).rejects.toThrow();

    const engine = new DuckDbEngine({ dataDir: dir.path, instance });
    const { rows } = await engine.query(
      `SELECT count(*) AS rows, count(DISTINCT (client.client_id, event_id)) AS events FROM events WHERE dt = ?`,
      ['2026-03-01'],
    );
    expect(rows[0]).toEqual({ rows: 60, events: 30 });
  });

  it('makes a query that arrives during the commit wait for it, so it sees each row once', async () => {
    await smallFiles(5);
    const lock = new ReadWriteLock();
    const engine = new LockedEngine(new DuckDbEngine({ dataDir: dir.path, instance }), lock);
    let during: Promise<QueryResult> | undefined;
    const onStep = async (step: CompactionStep) => {
      if (step !== 'committed') return;
      during = engine.query('SELECT count(*) AS n FROM events', []);
      // Give the query every chance to run now, while the merged file and its sources are both on disk.
      await Promise.race([during, new Promise((resolve) => setTimeout(resolve, 300))]);
    };

    await compactPartitions([await march1()], { connection, dataDir: dir.path, lock, onStep });

    expect((await during)?.rows).toEqual([{ n: 51 }]);
  });

  it('keeps concurrent queries exact while compactions and writes interleave', async () => {
    await smallFiles(5);
    const lock = new ReadWriteLock();
    const engine = new LockedEngine(new DuckDbEngine({ dataDir: dir.path, instance }), lock);
    const counts: unknown[] = [];
    let compacting = true;
    const queries = (async () => {
      while (compacting) {
        const { rows } = await engine.query('SELECT count(*) AS n FROM events', []);
        counts.push(rows[0]?.n);
      }
    })();
    const sink = new LakeSink({ dataDir: dir.path, instance });
    for (let round = 0; round < 4; round++) {
      await compactPartitions([await march1()], { connection, dataDir: dir.path, lock });
      await sink.put([
        eventRecord({
          appId: 'demo',
          clientId: 'late',
          eventId: `r${round}`,
          eventType: 'e',
          timestamp: DAY,
        }),
      ]);
    }
    compacting = false;
    await queries;
    await sink.close();

    expect(counts.length).toBeGreaterThan(0);
    expect(counts.every((n) => typeof n === 'number' && n >= 51 && n <= 55)).toBe(true);
    expect(await lakeRows(instance, dir.path, 'event_id')).toHaveLength(55);
  });
});
