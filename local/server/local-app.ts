import { type ErrorHandler, Hono, type NotFoundHandler } from 'hono';
import { ServiceUnavailableError } from '../../lambdas/core/errors';
import type { EventSink } from '../../lambdas/core/event-sink';
import type { QueryEngine } from '../../lambdas/core/query-engine';
import { onAwsError, onAwsNotFound } from '../../lambdas/http/aws-errors';
import { onError, onNotFound } from '../../lambdas/http/error-handler';
import { requestId } from '../../lambdas/http/request-id';
import { createIngestApp, isDoorPath } from '../../lambdas/ingest/ingest-app';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';

export interface LocalAppDeps {
  readonly sink: EventSink;
  readonly engine: QueryEngine;
  /** The clock both apps use. @default Date.now */
  readonly now?: () => number;
  /** Requests wait for this first (the lake being set up, sample data written). @default ready at once */
  readonly ready?: Promise<unknown>;
}

/** Errors raised outside either app (the lake not ready) and unknown paths: a door's path is answered as the doors answer, any other as the KPI API does. */
const onLocalError: ErrorHandler = (err, c) => (isDoorPath(c.req.path) ? onAwsError : onError)(err, c);
const onLocalNotFound: NotFoundHandler = (c) => (isDoorPath(c.req.path) ? onAwsNotFound : onNotFound)(c);

/**
 * The ingest doors and the KPI API as one app for the local server: the two apps the Lambda
 * handlers run, mounted unchanged, each answering its own errors its own way (docs/CONTRACT.md
 * §2 for the doors, §3 for the KPI API).
 */
export function createLocalApp(deps: LocalAppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  app.onError(onLocalError);
  app.notFound(onLocalNotFound);
  const { ready } = deps;
  if (ready) {
    app.use(async (_c, next) => {
      await ready.catch((err: unknown) => {
        throw new ServiceUnavailableError('The local server could not prepare its lake', { cause: err });
      });
      await next();
    });
  }
  app.route('/', createIngestApp({ sink: deps.sink, now: deps.now }));
  app.route('/', createKpiApp({ engine: deps.engine, now: deps.now }));
  return app;
}
