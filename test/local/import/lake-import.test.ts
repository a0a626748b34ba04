import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../../lambdas/core/event-record';
import { encodeRecord } from '../../../lambdas/ingest/normalise/encode-record';
import { DuckDbEngine } from '../../../local/duckdb/duckdb-engine';
import { importIntoLake, type LakeImportOptions } from '../../../local/import/lake-import';
import { Lake } from '../../../local/lake/lake';
import { memorySource } from '../../import/support/memory-source';
import { eventRecord } from '../../support/generate-events';
import { TEST_LAKE } from '../../support/lake';
import { writeLake } from '../../support/write-lake';
import { filesBelow, lakeRows, tempDir } from '../support/lake-fixtures';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T10:00:00Z');
const IMPORTED_AT = Date.parse('2026-02-01T00:00:00Z');

function events(count: number, offset = 0): EventRecord[] {
  return Array.from({ length: count }, (_, i) =>
    eventRecord({
      appId: i % 3 === 0 ? 'app-b' : 'app-a',
      clientId: `c${(i + offset) % 11}`,
      eventId: `e${i + offset}`,
      eventType: i % 4 === 0 ? '_session.start' : 'level_complete',
      timestamp: T0 + ((i + offset) % 5) * DAY + i,
    }),
  );
}

const ndjson = (name: string, records: readonly EventRecord[]) =>
  memorySource(name, records.map(encodeRecord).join(''), { chunkBytes: 4096 });

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;

beforeEach(async () => {
  dir = await tempDir('lake-import');
  instance = await DuckDBInstance.create(':memory:');
});

afterEach(async () => {
  instance.closeSync();
  await dir.remove();
});

/** Opens the lake as `npm run import` does (the log converted only on close here), and closes it. */
async function withLake<T>(use: (lake: Lake) => Promise<T>): Promise<T> {
  const lake = await Lake.open({ dataDir: dir.path, command: 'a test', instance, convertAfterMs: 60_000 });
  try {
    return await use(lake);
  } finally {
    await lake.close();
  }
}

const importInto = (lake: Lake, options: Partial<LakeImportOptions> & Pick<LakeImportOptions, 'sources'>) =>
  importIntoLake({
    sink: lake.sink,
    engine: new DuckDbEngine({ events: lake, instance }),
    lake: TEST_LAKE,
    now: () => IMPORTED_AT,
    ...options,
  });

const run = (options: Partial<LakeImportOptions> & Pick<LakeImportOptions, 'sources'>) =>
  withLake((lake) => importInto(lake, options));

const storedIds = async () =>
  (await lakeRows(instance, dir.path, 'event_id')).map((r) => String(r.event_id)).sort();

describe('importing into the local lake', () => {
  it('writes every event once, in its app and day partition', async () => {
    const sent = events(300);
    const counts = await run({
      sources: [ndjson('a.ndjson', sent.slice(0, 150)), ndjson('b.ndjson', sent.slice(150))],
    });
    expect(counts).toMatchObject({ files: 2, imported: 300, duplicates: 0 });
    expect(await storedIds()).toEqual(sent.map((r) => r.event_id).sort());
    const partitions = await lakeRows(instance, dir.path, 'DISTINCT app_id, dt');
    expect(partitions).toHaveLength(10);
  });

  it('adds nothing when the same files are imported again, and counts them as duplicates', async () => {
    const sent = events(120);
    await run({ sources: [ndjson('a.ndjson', sent)] });
    const again = await run({ sources: [ndjson('a.ndjson', sent)] });
    expect(again).toMatchObject({ imported: 0, duplicates: 120 });
    expect(await storedIds()).toHaveLength(120);
  });

  it('counts events the lake already holds (sent through the doors) and events repeated across files', async () => {
    const sent = events(90);
    await writeLake(instance, dir.path, sent.slice(0, 30));
    const counts = await run({
      sources: [ndjson('a.ndjson', sent.slice(0, 60)), ndjson('b.ndjson', sent.slice(50))],
      chunkEvents: 7,
    });
    expect(counts).toMatchObject({ imported: 60, duplicates: 30 + 10 });
    expect(await storedIds()).toEqual(sent.map((r) => r.event_id).sort());
  });

  it('finds the events still in the log (acknowledged, not yet in Parquet) and writes them no second time', async () => {
    const sent = events(60);
    const counts = await withLake(async (lake) => {
      await lake.sink.put(sent.slice(0, 40));
      expect(await filesBelow(join(dir.path, 'events'))).toEqual([]);
      return importInto(lake, { sources: [ndjson('a.ndjson', sent)], chunkEvents: 9 });
    });
    expect(counts).toMatchObject({ imported: 20, duplicates: 40 });
    expect(await storedIds()).toEqual(sent.map((r) => r.event_id).sort());
  });

  it('tells an event apart by client, id, type and timestamp, not by its id alone', async () => {
    const base = events(1)[0] as EventRecord;
    const sameIdOtherClient = { ...base, client: { client_id: 'someone-else' } };
    const sameIdLater = { ...base, event_timestamp: base.event_timestamp + 1 };
    const counts = await run({ sources: [ndjson('a.ndjson', [base, sameIdOtherClient, sameIdLater, base])] });
    expect(counts).toMatchObject({ imported: 3, duplicates: 1 });
  });

  it('looks partitions up again after forgetting them, with the same result', async () => {
    const sent = events(200);
    await run({ sources: [ndjson('a.ndjson', sent)] });
    const counts = await run({
      sources: [ndjson('a.ndjson', sent), ndjson('b.ndjson', sent)],
      chunkEvents: 13,
      maxCachedKeys: 20,
    });
    expect(counts).toMatchObject({ imported: 0, duplicates: 400 });
  });

  it('writes nothing on a dry run but counts as if it had', async () => {
    const sent = events(50);
    const counts = await run({ sources: [ndjson('a.ndjson', [...sent, ...sent.slice(0, 5)])], dryRun: true });
    expect(counts).toMatchObject({ imported: 50, duplicates: 5 });
    expect(await filesBelow(join(dir.path, 'events'))).toEqual([]);
  });

  it('reports progress over the bytes of all files', async () => {
    const a = ndjson('a.ndjson', events(40));
    const b = ndjson('b.ndjson', events(40, 40));
    const seen: number[] = [];
    await run({ sources: [a, b], onProgress: (bytes) => seen.push(bytes) });
    expect(seen.at(-1)).toBe(a.size + b.size);
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });
});
