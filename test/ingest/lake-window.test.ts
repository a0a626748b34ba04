import type { FirehoseTransformationEvent } from 'aws-lambda';
import { lakeWindow } from '../../lambdas/core/lake-window';
import { createIngestApp } from '../../lambdas/ingest/ingest-app';
import { normaliseStreamData, transformRecords } from '../../lambdas/ingest/transform-records';
import clientContext from './fixtures/mobile-analytics-client-context.json';
import appEvent from './fixtures/stream-app-event.json';
import { RecordingSink } from './support/recording-sink';

/**
 * An event dated before the lake's first day, or more than a day after it arrived, would be
 * stored where no query sees it: the doors answer it 400 with the reason, the transformer marks
 * it ProcessingFailed so that Firehose keeps it under the error prefix (docs/CONTRACT.md §2).
 */
const LAKE = lakeWindow('2020-01-01');
const NOW = Date.parse('2026-03-01T12:00:00Z');
const BEFORE = '2019-12-31T23:59:59.999Z';
const FIRST = '2020-01-01T00:00:00.000Z';
const TOMORROW = '2026-03-02T12:00:00.000Z';
const TOO_LATE = '2026-03-02T12:00:00.001Z';

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

function setup() {
  const sink = new RecordingSink();
  return { sink, app: createIngestApp({ sink, lake: LAKE, now: () => NOW }) };
}

/** The per-event results of a Pinpoint EventsResponse (the whole body on the wire). */
function eventResults(body: { Results: unknown }) {
  const results = body.Results as Record<
    string,
    { EventsItemResponse: Record<string, { StatusCode: number; Message: string }> }
  >;
  return Object.assign({}, ...Object.values(results).map((r) => r.EventsItemResponse));
}

describe('the Pinpoint door', () => {
  it('stores the events within the lake and answers the others 400 with the reason', async () => {
    const { app, sink } = setup();
    const events = Object.fromEntries(
      [BEFORE, FIRST, TOMORROW, TOO_LATE].map((Timestamp, i) => [`e${i}`, { EventType: 'x', Timestamp }]),
    );
    const res = await app.request('/v1/apps/game/events', post({ BatchItem: { ep: { Events: events } } }));
    expect(res.status).toBe(202);
    const results = eventResults(await res.json());
    expect(results.e0).toEqual({
      StatusCode: 400,
      Message: `Timestamp is ${BEFORE}, before the lake's first day 2020-01-01; events before it are not stored (check the device clock, or deploy with an earlier -c lakeStartDate=YYYY-MM-DD)`,
    });
    expect(results.e1).toEqual({ StatusCode: 202, Message: 'Accepted' });
    expect(results.e2).toEqual({ StatusCode: 202, Message: 'Accepted' });
    expect(results.e3.StatusCode).toBe(400);
    expect(results.e3.Message).toBe(
      `Timestamp is ${TOO_LATE}, more than a day after the event arrived (2026-03-01T12:00:00.000Z); check the device clock`,
    );
    expect(sink.records.map((r) => r.event_id)).toEqual(['e1', 'e2']);
  });
});

describe('the Mobile Analytics door', () => {
  it('answers a request holding an event before the first day 400, naming it, and stores nothing', async () => {
    const { app, sink } = setup();
    const body = {
      events: [
        { eventType: 'x', timestamp: FIRST },
        { eventType: 'x', timestamp: BEFORE },
      ],
    };
    const res = await app.request(
      '/2014-06-05/events',
      post(body, { 'x-amz-client-context': JSON.stringify(clientContext) }),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe(
      `events[1]: timestamp is ${BEFORE}, before the lake's first day 2020-01-01; events before it are not stored (check the device clock, or deploy with an earlier -c lakeStartDate=YYYY-MM-DD)`,
    );
    expect(sink.records).toEqual([]);
  });
});

describe('the Pinpoint endpoint doors', () => {
  const put = (body: unknown) => ({ ...post(body), method: 'PUT' });

  it('store an endpoint dated within the lake, by its EffectiveDate, else by its arrival', async () => {
    const { app, sink } = setup();
    expect((await app.request('/v1/apps/game/endpoints/ep', put({ EffectiveDate: FIRST }))).status).toBe(202);
    expect((await app.request('/v1/apps/game/endpoints/ep', put({}))).status).toBe(202);
    expect(sink.records.map((r) => r.event_timestamp)).toEqual([Date.parse(FIRST), NOW]);
  });

  it('answer UpdateEndpoint with an EffectiveDate outside the lake 400, typed, naming it', async () => {
    const { app, sink } = setup();
    const res = await app.request('/v1/apps/game/endpoints/ep', put({ EffectiveDate: BEFORE }));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-ErrorType')).toBe('BadRequestException');
    expect((await res.json()).message).toBe(
      `Not a Pinpoint EndpointRequest: EffectiveDate is ${BEFORE}, before the lake's first day 2020-01-01; events before it are not stored (check the device clock, or deploy with an earlier -c lakeStartDate=YYYY-MM-DD)`,
    );
    expect(sink.records).toEqual([]);
  });

  it('answer an UpdateEndpointsBatch holding one item outside the lake 400 as a whole, naming it, and store nothing', async () => {
    const { app, sink } = setup();
    const body = {
      Item: [
        { Id: 'a', EffectiveDate: FIRST },
        { Id: 'b', EffectiveDate: TOO_LATE },
      ],
    };
    const res = await app.request('/v1/apps/game/endpoints', put(body));
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe(
      `Not a Pinpoint EndpointBatchRequest: Item[1].EffectiveDate is ${TOO_LATE}, more than a day after the event arrived (2026-03-01T12:00:00.000Z); check the device clock`,
    );
    expect(sink.records).toEqual([]);
  });
});

describe('the stream transformer', () => {
  const record = (eventTimestamp: number, arrival: number) => ({
    recordId: String(eventTimestamp),
    approximateArrivalTimestamp: arrival,
    data: Buffer.from(JSON.stringify({ ...appEvent, event_timestamp: eventTimestamp })).toString('base64'),
  });
  const event = (...records: ReturnType<typeof record>[]): FirehoseTransformationEvent => ({
    invocationId: 'i',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/events',
    region: 'us-east-1',
    records,
  });

  it('passes records within the lake and keeps the others for the error prefix, unchanged', () => {
    const input = event(
      record(Date.parse(BEFORE), NOW),
      record(Date.parse(FIRST), NOW),
      record(Date.parse(TOMORROW), NOW),
      record(Date.parse(TOO_LATE), NOW),
    );
    const { records } = transformRecords(input, LAKE);
    expect(records.map((r) => r.result)).toEqual(['ProcessingFailed', 'Ok', 'Ok', 'ProcessingFailed']);
    expect(records[0]?.data).toBe(input.records[0]?.data);
    expect(records[1]?.metadata?.partitionKeys).toEqual({
      app_id: appEvent.application.app_id,
      dt: '2020-01-01',
    });
  });

  it('checks the future against when the record is stored, which a replay sets later than its arrival', () => {
    const data = record(Date.parse(TOO_LATE), NOW).data;
    expect(() => normaliseStreamData(data, { arrivalTimestamp: NOW, lake: LAKE })).toThrow(
      'event_timestamp is 2026-03-02T12:00:00.001Z, more than a day after the event arrived',
    );
    const replayed = normaliseStreamData(data, {
      arrivalTimestamp: NOW,
      storedAt: Date.parse(TOMORROW),
      lake: LAKE,
    });
    expect(replayed.event_timestamp).toBe(Date.parse(TOO_LATE));
    expect(replayed.arrival_timestamp).toBe(appEvent.arrival_timestamp);
  });
});
