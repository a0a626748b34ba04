import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
  type PutRecordBatchCommandOutput,
  ResourceNotFoundException,
  ServiceUnavailableException,
} from '@aws-sdk/client-firehose';
import { mockClient } from 'aws-sdk-client-mock';
import { ServiceUnavailableError, TooManyRequestsError } from '../../lambdas/core/errors';
import type { EventRecord } from '../../lambdas/core/event-record';
import { seededRandom } from '../../lambdas/core/seeded-random';
import { FirehoseSink, type FirehoseSinkOptions } from '../../lambdas/ingest/firehose-sink';
import { sampleRecord } from './support/records';

const firehose = mockClient(FirehoseClient);
const STREAM = 'events-stream';

let clock: number;
let sleeps: number[];

function sink(options: Partial<FirehoseSinkOptions> = {}): FirehoseSink {
  return new FirehoseSink({
    deliveryStreamName: STREAM,
    client: new FirehoseClient({}),
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    random: seededRandom(7),
    ...options,
  });
}

const text = (data: Uint8Array | undefined) => Buffer.from(data ?? new Uint8Array()).toString('utf8');
const sent = (): PutRecordBatchCommandInput[] =>
  firehose.commandCalls(PutRecordBatchCommand).map((c) => c.args[0].input);
const ok = (n: number): PutRecordBatchCommandOutput => ({
  FailedPutCount: 0,
  RequestResponses: Array.from({ length: n }, (_, i) => ({ RecordId: `r${i}` })),
  $metadata: {},
});
const slowDown = () => new ServiceUnavailableException({ message: 'Slow down.', $metadata: {} });

/**
 * A Firehose that fails each entry with the given probability on its first `flakyTries`
 * tries, and keeps what it accepted, in order.
 */
function flakyFirehose(probability: number, flakyTries: number, code = 'ServiceUnavailableException') {
  const delivered: string[] = [];
  const tries = new Map<string, number>();
  const random = seededRandom(42);
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
    const responses = (input.Records ?? []).map((r) => {
      const data = text(r.Data);
      const n = (tries.get(data) ?? 0) + 1;
      tries.set(data, n);
      if (n <= flakyTries && random() < probability) return { ErrorCode: code, ErrorMessage: 'failed' };
      delivered.push(data);
      return { RecordId: `r${delivered.length}` };
    });
    return { FailedPutCount: responses.filter((r) => r.ErrorCode).length, RequestResponses: responses };
  });
  return delivered;
}

beforeEach(() => {
  firehose.reset();
  clock = 0;
  sleeps = [];
});

describe('FirehoseSink', () => {
  it('sends each record as one newline-terminated JSON record, exactly as given', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .callsFake((input: PutRecordBatchCommandInput) => ok(input.Records!.length));
    const records = [sampleRecord(1), sampleRecord(2)];
    await sink().put(records);
    const [call] = sent();
    expect(call!.DeliveryStreamName).toBe(STREAM);
    const data = call!.Records!.map((r) => text(r.Data));
    expect(data.every((d) => d.endsWith('}\n') && !d.slice(0, -1).includes('\n'))).toBe(true);
    expect(data.map((d) => JSON.parse(d))).toEqual(records);
  });

  it('delivers every record exactly once when about 30% of entries fail on the first tries', async () => {
    const delivered = flakyFirehose(0.3, 3);
    const records = Array.from({ length: 1200 }, (_, i) => sampleRecord(i));
    await sink().put(records);
    expect(delivered.length).toBe(1200);
    expect(new Set(delivered).size).toBe(1200);
    expect(
      delivered
        .map((d) => JSON.parse(d) as EventRecord)
        .sort((a, b) => a.event_timestamp - b.event_timestamp),
    ).toEqual(records);
    expect(sent().length).toBeGreaterThan(3);
  });

  it('sends again only the entries Firehose reported failed', async () => {
    flakyFirehose(0.3, 1);
    await sink().put(Array.from({ length: 200 }, (_, i) => sampleRecord(i)));
    const [first, second] = sent();
    expect(first!.Records).toHaveLength(200);
    expect(second!.Records!.length).toBeGreaterThan(30);
    expect(second!.Records!.length).toBeLessThan(90);
  });

  it('waits with growing, jittered delays between tries', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .rejectsOnce(slowDown())
      .rejectsOnce(slowDown())
      .rejectsOnce(slowDown())
      .resolves(ok(1));
    await sink({ baseDelayMs: 100, maxDelayMs: 250, random: () => 1 }).put([sampleRecord(1)]);
    expect(sleeps).toEqual([100, 200, 250]);
    expect(sent()).toHaveLength(4);
  });

  it('rides out a throttled stream that recovers', async () => {
    firehose.on(PutRecordBatchCommand).rejectsOnce(slowDown()).rejectsOnce(slowDown()).resolves(ok(3));
    await expect(sink().put([sampleRecord(1), sampleRecord(2), sampleRecord(3)])).resolves.toBeUndefined();
    expect(sent()).toHaveLength(3);
  });

  it('rejects with 429 when throttling outlasts the retry budget, without overrunning it', async () => {
    firehose.on(PutRecordBatchCommand).rejects(slowDown());
    const put = sink({ retryBudgetMs: 5_000 }).put([sampleRecord(1)]);
    await expect(put).rejects.toThrow(TooManyRequestsError);
    await expect(put).rejects.toMatchObject({ status: 429, headers: { 'Retry-After': '1' } });
    expect(clock).toBeLessThanOrEqual(5_000);
    expect(sent().length).toBeGreaterThan(3);
  });

  it('rejects with 429 when entries keep failing with ServiceUnavailableException', async () => {
    flakyFirehose(1, Number.POSITIVE_INFINITY);
    await expect(sink({ retryBudgetMs: 1_000 }).put([sampleRecord(1)])).rejects.toThrow(TooManyRequestsError);
  });

  it('rejects with 503 when entries keep failing with InternalFailure', async () => {
    flakyFirehose(1, Number.POSITIVE_INFINITY, 'InternalFailure');
    const put = sink({ retryBudgetMs: 1_000 }).put([sampleRecord(1)]);
    await expect(put).rejects.toThrow(ServiceUnavailableError);
    await expect(put).rejects.toThrow(
      'The event store is unavailable; 1 event(s) were not stored: retry the request',
    );
  });

  it('gives up at once with 503 on an error retrying cannot fix, without naming AWS resources', async () => {
    firehose.on(PutRecordBatchCommand).rejects(
      new ResourceNotFoundException({
        message: `Stream ${STREAM} under account 111122223333 not found.`,
        $metadata: {},
      }),
    );
    const put = sink().put([sampleRecord(1)]);
    await expect(put).rejects.toThrow(ServiceUnavailableError);
    await expect(put).rejects.not.toThrow(/111122223333|events-stream/);
    expect(sent()).toHaveLength(1);
  });

  it('stops at the batch that cannot be delivered and counts the batches not tried as not stored', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .callsFakeOnce((input: PutRecordBatchCommandInput) => ok(input.Records!.length))
      .rejects(slowDown());
    const put = sink({ retryBudgetMs: 1_000 }).put(Array.from({ length: 1200 }, (_, i) => sampleRecord(i)));
    await expect(put).rejects.toThrow(
      'The event store is throttling; 700 event(s) were not stored: retry the request',
    );
    expect(sent().every((c, i) => i === 0 || c.Records!.length === 500)).toBe(true);
  });

  it('resends the whole batch when Firehose reports failures without saying which', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .resolvesOnce({ FailedPutCount: 2, RequestResponses: [] })
      .callsFake((input: PutRecordBatchCommandInput) => ok(input.Records!.length));
    await sink().put([sampleRecord(1), sampleRecord(2)]);
    expect(sent().map((c) => c.Records!.length)).toEqual([2, 2]);
  });

  it('splits at 500 records per call', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .callsFake((input: PutRecordBatchCommandInput) => ok(input.Records!.length));
    await sink().put(Array.from({ length: 1001 }, (_, i) => sampleRecord(i)));
    expect(sent().map((c) => c.Records!.length)).toEqual([500, 500, 1]);
  });

  it('splits at 4 MiB per call', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .callsFake((input: PutRecordBatchCommandInput) => ok(input.Records!.length));
    const records = Array.from({ length: 20 }, (_, i) => sampleRecord(i, 600_000));
    await sink().put(records);
    const sizes = sent().map((c) => c.Records!.reduce((n, r) => n + r.Data!.byteLength, 0));
    const recordSize = sent()[0]!.Records![0]!.Data!.byteLength;
    expect(sizes.every((s) => s <= 4 * 1024 * 1024)).toBe(true);
    expect(sizes.every((s) => s + recordSize > 4 * 1024 * 1024 || s === sizes[sizes.length - 1])).toBe(true);
    expect(sent().flatMap((c) => c.Records!.map((r) => JSON.parse(text(r.Data)).event_id))).toEqual(
      records.map((r) => r.event_id),
    );
  });

  it('refuses a record over Firehose’s 1,000 KiB limit, which the doors must have rejected', async () => {
    await expect(sink().put([sampleRecord(1, 1024 * 1000)])).rejects.toThrow(RangeError);
    expect(sent()).toHaveLength(0);
  });

  it.each([
    [{ deliveryStreamName: ' ' }, 'deliveryStreamName must not be empty'],
    [{ retryBudgetMs: -1 }, 'retryBudgetMs must be 0 or more, got -1'],
    [
      { baseDelayMs: 500, maxDelayMs: 100 },
      'need 0 < baseDelayMs <= maxDelayMs, got baseDelayMs 500, maxDelayMs 100',
    ],
  ])('validates its options (%j)', (options, message) => {
    expect(() => sink(options)).toThrow(message);
  });
});
