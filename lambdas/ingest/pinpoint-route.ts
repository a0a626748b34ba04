import type { Handler } from 'hono';
import type { EventSink } from '../core/event-sink';
import type { LakeWindow } from '../core/lake-window';
import { logger } from '../core/logger';
import type { IngestEnv } from './ingest-env';
import { countAccepted, countRejected } from './metrics';
import { MAX_PINPOINT_BODY_BYTES } from './normalise/limits';
import { normalisePinpointEvents, type PinpointEndpointOutcome } from './normalise/pinpoint-events';
import { pinpointAppId } from './pinpoint-app-id';
import { parseJsonBody, readBody } from './read-body';

const status = (error: string | undefined) => ({
  StatusCode: error ? 400 : 202,
  Message: error ?? 'Accepted',
});

/**
 * Pinpoint's EventsResponse, which is the whole body on the wire (the API model's `payload`):
 * per endpoint, its own result and one per event.
 */
function eventsResponse(outcomes: readonly PinpointEndpointOutcome[]) {
  const results = outcomes.map((o) => [
    o.endpointId,
    {
      EndpointItemResponse: status(o.error),
      EventsItemResponse: Object.fromEntries(o.events.map((e) => [e.eventId, status(e.error)])),
    },
  ]);
  return { Results: Object.fromEntries(results) };
}

/**
 * `POST /v1/apps/{appId}/events` (docs/CONTRACT.md §2a): Pinpoint PutEvents. Valid events go to the
 * sink before the 202 is sent; invalid ones get their own 400 result. If the sink refuses,
 * the error mapper answers 500/429 and the SDK retries the whole request.
 */
export function pinpointPutEvents(sink: EventSink, now: () => number, lake: LakeWindow): Handler<IngestEnv> {
  return async (c) => {
    const appId = pinpointAppId(c);
    const body = parseJsonBody(
      await readBody(c.req.raw, { maxBytes: MAX_PINPOINT_BODY_BYTES, label: '4 MB' }),
    );
    const outcomes = normalisePinpointEvents(body, { appId, arrivalTimestamp: now(), lake });
    const events = outcomes.flatMap((o) => o.events);
    const records = events.flatMap((e) => (e.record ? [e.record] : []));
    if (records.length > 0) await sink.put(records);
    countAccepted(records.length);
    countRejected(events.length - records.length);
    logger.info('pinpoint events ingested', {
      requestId: c.get('requestId'),
      appId,
      accepted: records.length,
      rejected: events.length - records.length,
    });
    return c.json(eventsResponse(outcomes), 202);
  };
}
