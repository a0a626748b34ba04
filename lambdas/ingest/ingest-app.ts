import { Hono } from 'hono';
import type { EventSink } from '../core/event-sink';
import { onError, onNotFound } from '../http/error-handler';
import { requestId } from '../http/request-id';
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

/**
 * The ingest doors (docs/CONTRACT.md §2a, §2b) as one hono app, run unchanged by the Lambda adapter
 * and by the local server. Every response carries `x-amzn-RequestId`; every error goes
 * through the shared mapper.
 */
export function createIngestApp(deps: IngestAppDeps): Hono {
  const now = deps.now ?? Date.now;
  const app = new Hono();
  app.use(requestId());
  app.onError(onError);
  app.notFound(onNotFound);
  app.post('/v1/apps/:appId/events', pinpointPutEvents(deps.sink, now));
  app.post('/2014-06-05/events', mobileAnalyticsPutEvents(deps.sink, now));
  return app;
}
