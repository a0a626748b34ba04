import { Hono } from 'hono';
import type { EventSink } from '../core/event-sink';
import type { LakeWindow } from '../core/lake-window';
import { methodNotAllowed, onAwsError, onAwsNotFound } from '../http/aws-errors';
import { requestId } from '../http/request-id';
import { allowedAppsGuards } from './allowed-apps';
import { pinpointUpdateEndpoint, pinpointUpdateEndpointsBatch } from './endpoint-routes';
import { mobileAnalyticsPutEvents } from './mobile-analytics-route';
import { pinpointPutEvents } from './pinpoint-route';

export interface IngestAppDeps {
  /** Where accepted events go: Firehose when deployed, the local lake in local mode. */
  readonly sink: EventSink;
  /** The lake's first day: an event dated before it, or over a day after its arrival, is a 400. */
  readonly lake: LakeWindow;
  /** The only app ids the doors accept; others are 403 before anything is read. @default every app id */
  readonly allowedApps?: ReadonlySet<string>;
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
  if (deps.allowedApps) {
    const guards = allowedAppsGuards(deps.allowedApps);
    app.use('/v1/apps/:appId/*', guards.pinpoint);
    app.use('/2014-06-05/events', guards.mobileAnalytics);
  }
  const { sink, lake } = deps;
  app.post('/v1/apps/:appId/events', pinpointPutEvents(sink, now, lake));
  app.all('/v1/apps/:appId/events', methodNotAllowed('POST'));
  app.put('/v1/apps/:appId/endpoints/:endpointId', pinpointUpdateEndpoint(sink, now, lake));
  app.all('/v1/apps/:appId/endpoints/:endpointId', methodNotAllowed('PUT'));
  app.put('/v1/apps/:appId/endpoints', pinpointUpdateEndpointsBatch(sink, now, lake));
  app.all('/v1/apps/:appId/endpoints', methodNotAllowed('PUT'));
  app.post('/2014-06-05/events', mobileAnalyticsPutEvents(sink, now, lake));
  app.all('/2014-06-05/events', methodNotAllowed('POST'));
  return app;
}
