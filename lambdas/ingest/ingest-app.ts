import { Hono } from 'hono';
import type { EventSink } from '../core/event-sink';
import { methodNotAllowed, onAwsError, onAwsNotFound } from '../http/aws-errors';
import { requestId } from '../http/request-id';
import { pinpointUpdateEndpoint, pinpointUpdateEndpointsBatch } from './endpoint-routes';
import { mobileAnalyticsPutEvents } from './mobile-analytics-route';
import { pinpointPutEvents } from './pinpoint-route';

export interface IngestAppDeps {
  /** Where accepted events go: Firehose when deployed, the local lake in local mode. */
  readonly sink: EventSink;
  /**
   * Clock for `arrival_timestamp` (ms since epoch).
   * @default Date.now
   */
  readonly now?: () => number;
}

/** The first path segments of the doors: a path under one of them is a door's, answered the AWS way. */
const DOOR_PREFIXES = ['/v1/', '/2014-06-05/'];

/** Whether a path belongs to the doors (so that an app mounting them with others answers its errors their way). */
export function isDoorPath(path: string): boolean {
  return DOOR_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/**
 * The ingest doors (docs/CONTRACT.md §2a, §2b, §2d) as one hono app, run unchanged by the Lambda
 * adapter and by the local server. Every response carries `x-amzn-RequestId`; every error,
 * unknown path (404) and wrong method (405) is answered as AWS services answer them
 * (`x-amzn-ErrorType`, `{"message", "Message", "RequestID"}`).
 */
export function createIngestApp(deps: IngestAppDeps): Hono {
  const now = deps.now ?? Date.now;
  const app = new Hono();
  app.use(requestId());
  app.onError(onAwsError);
  app.notFound(onAwsNotFound);
  app.post('/v1/apps/:appId/events', pinpointPutEvents(deps.sink, now));
  app.all('/v1/apps/:appId/events', methodNotAllowed('POST'));
  app.put('/v1/apps/:appId/endpoints/:endpointId', pinpointUpdateEndpoint(deps.sink, now));
  app.all('/v1/apps/:appId/endpoints/:endpointId', methodNotAllowed('PUT'));
  app.put('/v1/apps/:appId/endpoints', pinpointUpdateEndpointsBatch(deps.sink, now));
  app.all('/v1/apps/:appId/endpoints', methodNotAllowed('PUT'));
  app.post('/2014-06-05/events', mobileAnalyticsPutEvents(deps.sink, now));
  app.all('/2014-06-05/events', methodNotAllowed('POST'));
  return app;
}
