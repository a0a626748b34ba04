import type { Context, Handler } from 'hono';
import type { EventRecord } from '../core/event-record';
import type { EventSink } from '../core/event-sink';
import type { LakeWindow } from '../core/lake-window';
import { logger } from '../core/logger';
import type { IngestEnv } from './ingest-env';
import { countAccepted } from './metrics';
import {
  type EndpointContext,
  normaliseEndpointBatchRequest,
  normaliseEndpointRequest,
} from './normalise/endpoint-request';
import { MAX_PINPOINT_BODY_BYTES } from './normalise/limits';
import { pinpointAppId } from './pinpoint-app-id';
import { parseJsonBody, readBody } from './read-body';

type Normalise = (c: Context<IngestEnv>, body: unknown, context: EndpointContext) => EventRecord[];

/**
 * A Pinpoint endpoint door (docs/CONTRACT.md §2d): the body's endpoints become `_endpoint.update`
 * records, handed to the sink before the answer, which is Pinpoint's MessageBody
 * `{"RequestID", "Message": "Accepted"}` with 202. All or nothing: a body of the wrong shape, or
 * an endpoint dated outside the lake, is a 400 and nothing is stored; if the sink refuses, 500/429.
 */
function endpointDoor(
  operation: string,
  sink: EventSink,
  now: () => number,
  lake: LakeWindow,
  normalise: Normalise,
): Handler<IngestEnv> {
  return async (c) => {
    const appId = pinpointAppId(c);
    const body = parseJsonBody(
      await readBody(c.req.raw, { maxBytes: MAX_PINPOINT_BODY_BYTES, label: '4 MB' }),
    );
    const records = normalise(c, body, { appId, arrivalTimestamp: now(), lake });
    if (records.length > 0) await sink.put(records);
    countAccepted(records.length);
    const requestId = c.get('requestId');
    logger.info('pinpoint endpoints ingested', { requestId, appId, operation, accepted: records.length });
    return c.json({ RequestID: requestId, Message: 'Accepted' }, 202);
  };
}

/** `PUT /v1/apps/{appId}/endpoints/{endpointId}`: Pinpoint UpdateEndpoint. */
export const pinpointUpdateEndpoint = (
  sink: EventSink,
  now: () => number,
  lake: LakeWindow,
): Handler<IngestEnv> =>
  endpointDoor('UpdateEndpoint', sink, now, lake, (c, body, context) => [
    normaliseEndpointRequest(c.req.param('endpointId') ?? '', body, context),
  ]);

/** `PUT /v1/apps/{appId}/endpoints`: Pinpoint UpdateEndpointsBatch. */
export const pinpointUpdateEndpointsBatch = (
  sink: EventSink,
  now: () => number,
  lake: LakeWindow,
): Handler<IngestEnv> =>
  endpointDoor('UpdateEndpointsBatch', sink, now, lake, (_c, body, context) =>
    normaliseEndpointBatchRequest(body, context),
  );
