import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FirehoseClient, PutRecordBatchCommand } from '@aws-sdk/client-firehose';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DuckDBInstance } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { utcDay } from '../../lambdas/core/calendar-day';
import type { EventRecord } from '../../lambdas/core/event-record';
import { lakeWindow } from '../../lambdas/core/lake-window';
import { type ImportObjectDeps, importObject } from '../../lambdas/import/import-object';
import { FirehoseSink } from '../../lambdas/ingest/firehose-sink';
import sms from '../ingest/fixtures/stream-sms-event.json';
import { tempDir } from '../local/support/lake-fixtures';
import { eventRecord } from '../support/generate-events';
import { TEST_LAKE } from '../support/lake';
import { writeLake } from '../support/write-lake';
import { s3Body } from './support/s3-body';

const s3 = mockClient(S3Client);
const firehose = mockClient(FirehoseClient);
const DAY = 86_400_000;
const T0 = Date.parse('2019-03-01T08:00:00Z');
const MODIFIED = new Date('2019-03-05T00:00:00Z');
const IMPORTED_AT = Date.parse('2019-03-06T00:00:00Z');

/** Events of two apps over three days, interleaved as an hour of a Firehose stream would hold them. */
function interleaved(count: number): EventRecord[] {
  return Array.from({ length: count }, (_, i) =>
    eventRecord({
      appId: i % 2 ? 'app-b' : 'app-a',
      clientId: `c${i % 13}`,
      eventId: `e${i}`,
      eventType: '_session.start',
      timestamp: T0 + (i % 3) * DAY + i,
    }),
  );
}

function serve(key: string, bytes: Uint8Array | string) {
  const buffer = Buffer.from(bytes);
  s3.on(HeadObjectCommand, { Key: key }).resolves({ ContentLength: buffer.length, LastModified: MODIFIED });
  s3.on(GetObjectCommand, { Key: key }).callsFake((input: { Range?: string }) => {
    const range = /^bytes=(\d+)-(\d+)$/.exec(input.Range ?? '');
    return { Body: s3Body(range ? buffer.subarray(Number(range[1]), Number(range[2]) + 1) : buffer) };
  });
}

const deps = (overrides: Partial<ImportObjectDeps> = {}): ImportObjectDeps => ({
  s3: new S3Client({}),
  sink: new FirehoseSink({
    deliveryStreamName: 'events',
    client: new FirehoseClient({}),
    sleep: async () => undefined,
    random: () => 0.5,
  }),
  reportBucket: 'lake-bucket',
  lake: TEST_LAKE,
  now: () => IMPORTED_AT,
  ...overrides,
});

const sentRecords = (): EventRecord[] =>
  firehose
    .commandCalls(PutRecordBatchCommand)
    .flatMap((c) => c.args[0].input.Records ?? [])
    .map((r) => JSON.parse(Buffer.from(r.Data ?? new Uint8Array()).toString('utf8')) as EventRecord);

beforeEach(() => {
  s3.reset();
  firehose.reset();
  firehose.on(PutRecordBatchCommand).callsFake((input: { Records: unknown[] }) => ({
    FailedPutCount: 0,
    RequestResponses: input.Records.map(() => ({ RecordId: 'r' })),
  }));
  s3.on(PutObjectCommand).resolves({});
});

describe('importing one S3 object into the delivery stream', () => {
  it('sends every event once, grouped by app and day in order, so few partitions are open at a time', async () => {
    const events = interleaved(1200);
    serve('2019/03/05/10/stream-1.gz', gzipSync(events.map((e) => JSON.stringify(e)).join('')));
    const result = await importObject(
      { bucket: 'exports', key: '2019/03/05/10/stream-1.gz', run: 'r1' },
      deps(),
    );
    expect(result).toMatchObject({
      source: 's3://exports/2019/03/05/10/stream-1.gz',
      imported: 1200,
      files: 1,
    });
    const sent = sentRecords();
    expect(sent.map((e) => e.event_id).sort()).toEqual(events.map((e) => e.event_id).sort());
    const partitions = sent.map((e) => `${e.application.app_id}/${utcDay(e.event_timestamp)}`);
    const runs = partitions.filter((p, i) => i === 0 || p !== partitions[i - 1]);
    expect(runs).toEqual([...new Set(partitions)].sort());
    for (const call of firehose.commandCalls(PutRecordBatchCommand)) {
      expect(call.args[0].input.Records?.length).toBeLessThanOrEqual(500);
      expect(call.args[0].input.DeliveryStreamName).toBe('events');
    }
  });

  it('sends again only the entries Firehose reports failed', async () => {
    const events = interleaved(3).map((e) => ({ ...e, application: { ...e.application, app_id: 'one' } }));
    const day = events.filter((e) => utcDay(e.event_timestamp) === utcDay(T0));
    serve('k', day.map((e) => JSON.stringify(e)).join('\n'));
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({
        FailedPutCount: 1,
        RequestResponses: [{ ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' }],
      })
      .resolves({ FailedPutCount: 0, RequestResponses: [{ RecordId: 'r' }] });
    await importObject({ bucket: 'b', key: 'k', run: 'r1' }, deps());
    const calls = firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input.Records?.length);
    expect(calls).toEqual([1, 1]);
  });

  it('counts messaging events as skipped and lists rejected records in the run report', async () => {
    const good = interleaved(2);
    const text = `${JSON.stringify(good[0])}\n${JSON.stringify(sms)}\n{"event_type":"x"}\n${JSON.stringify(good[1])}\n{"cut":`;
    serve('exports/part-1.json', text);
    const result = await importObject({ bucket: 'b', key: 'exports/part-1.json', run: 'r7' }, deps());
    expect(result.imported).toBe(2);
    expect(result.skipped).toEqual({ '_SMS.SUCCESS': 1 });
    expect(Object.values(result.rejected).map((r) => r.count)).toEqual([1, 1]);
    expect(result.report).toBe('s3://lake-bucket/import-reports/r7/rejected/b/exports/part-1.json.ndjson');
    const [put] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(put).toMatchObject({
      Bucket: 'lake-bucket',
      Key: 'import-reports/r7/rejected/b/exports/part-1.json.ndjson',
    });
    const lines = String(put?.Body)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        file: 's3://b/exports/part-1.json',
        position: expect.stringMatching(/^record 3 /),
        reason: expect.any(String),
      },
      {
        file: 's3://b/exports/part-1.json',
        position: expect.stringMatching(/^record 5 /),
        reason: 'the data ends inside this record (the file is truncated)',
      },
    ]);
  });

  it("rejects events before the lake's first day, naming the stack's setting", async () => {
    serve('k', JSON.stringify(interleaved(1)[0]));
    const result = await importObject(
      { bucket: 'b', key: 'k', run: 'r' },
      deps({ lake: lakeWindow('2020-01-01') }),
    );
    expect(result.imported).toBe(0);
    expect(Object.values(result.rejected)[0]?.example.reason).toBe(
      "event_timestamp is 2019-03-01T08:00:00.000Z, before the lake's first day 2020-01-01; events before it are not stored (check the device clock, or deploy with an earlier -c lakeStartDate=YYYY-MM-DD)",
    );
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
  });

  it('rejects, as the transformer would, an event dated more than a day after the import', async () => {
    const [first, second] = interleaved(2) as [EventRecord, EventRecord];
    serve('k', [first, second].map((e) => JSON.stringify(e)).join(''));
    const result = await importObject(
      { bucket: 'b', key: 'k', run: 'r' },
      deps({ now: () => first.event_timestamp - DAY }),
    );
    expect(result.imported).toBe(1);
    expect(sentRecords().map((e) => e.event_id)).toEqual([first.event_id]);
    expect(Object.values(result.rejected)[0]?.example.reason).toBe(
      `event_timestamp is ${new Date(second.event_timestamp).toISOString()}, more than a day after the event arrived (${new Date(first.event_timestamp - DAY).toISOString()}); check the device clock`,
    );
  });

  it('gives a record delivered twice in one object (a Firehose redelivery) one event id, as the transformer would', async () => {
    const [first, second] = interleaved(2).map(({ event_id: _, ...withoutId }) => withoutId);
    serve('k', [first, second, first].map((e) => JSON.stringify(e)).join(''));
    const result = await importObject({ bucket: 'b', key: 'k', run: 'r' }, deps());
    expect(result.imported).toBe(3);
    const ids = sentRecords().map((e) => `${e.event_timestamp} ${e.event_id}`);
    expect(new Set(ids).size).toBe(2);
  });

  it('applies the app map and sends nothing on a dry run', async () => {
    serve('k', JSON.stringify(interleaved(1)[0]));
    const dry = await importObject(
      { bucket: 'b', key: 'k', run: 'r', dryRun: true, appMap: ['app-a=game'] },
      deps(),
    );
    expect(dry.imported).toBe(1);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toHaveLength(0);
    await importObject({ bucket: 'b', key: 'k', run: 'r', appMap: ['app-a=game'] }, deps());
    expect(sentRecords().map((e) => e.application.app_id)).toEqual(['game']);
  });

  it('reads a Parquet object by byte ranges', async () => {
    const dir = await tempDir('import-object-parquet');
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const events = interleaved(6).filter((e) => e.application.app_id === 'app-a');
      await writeLake(instance, dir.path, events);
      const partition = join(dir.path, 'events', 'app_id=app-a', `dt=${utcDay(T0)}`);
      const [name] = await readdir(partition);
      serve('lake/file.parquet', await readFile(join(partition, name ?? '')));
      const result = await importObject({ bucket: 'b', key: 'lake/file.parquet', run: 'r' }, deps());
      expect(result.imported).toBe(events.filter((e) => utcDay(e.event_timestamp) === utcDay(T0)).length);
      const ranged = s3.commandCalls(GetObjectCommand).filter((c) => c.args[0].input.Range !== undefined);
      expect(ranged.length).toBeGreaterThan(0);
    } finally {
      instance.closeSync();
      await dir.remove();
    }
  });
});
