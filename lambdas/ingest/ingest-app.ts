import { Hono } from 'hono';
import type { EventSink } from '../core/event-sink';
import type { LakeWindow } from '../core/lake-window';
import { onError, onNotFound } from '../http/error-handler';
import { requestId } from '../http/request-id';
import { allowedAppsGuards } from './allowed-apps';
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
  if (deps.allowedApps) {
    const guards = allowedAppsGuards(deps.allowedApps);
    app.use('/v1/apps/:appId/*', guards.pinpoint);
    app.use('/2014-06-05/events', guards.mobileAnalytics);
  }
  app.post('/v1/apps/:appId/events', pinpointPutEvents(deps.sink, now, deps.lake));
  app.post('/2014-06-05/events', mobileAnalyticsPutEvents(deps.sink, now, deps.lake));
  return app;
}
