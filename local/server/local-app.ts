import { type ErrorHandler, Hono, type NotFoundHandler } from 'hono';
import type { AppDirectory } from '../../lambdas/core/app-directory';
import { ServiceUnavailableError } from '../../lambdas/core/errors';
import type { EventSink } from '../../lambdas/core/event-sink';
import type { LakeWindow } from '../../lambdas/core/lake-window';
import type { QueryEngine } from '../../lambdas/core/query-engine';
import { onAwsError, onAwsNotFound } from '../../lambdas/http/aws-errors';
import { onError, onNotFound } from '../../lambdas/http/error-handler';
import { requestId } from '../../lambdas/http/request-id';
import { createIngestApp, isDoorPath } from '../../lambdas/ingest/ingest-app';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import type { DashboardPage } from '../dashboard/dashboard-page';
import { dashboardRoute } from '../dashboard/dashboard-route';

export interface LocalAppDeps {
  readonly sink: EventSink;
  readonly engine: QueryEngine;
  /** The lake's first day, for the doors and the KPI SQL. */
  readonly lake: LakeWindow;
  /** The only app ids the doors accept. @default every app id */
  readonly allowedApps?: ReadonlySet<string>;
  /** The apps of the lake, for `GET /apps`. */
  readonly apps: AppDirectory;
  /** The clock both apps use. @default Date.now */
  readonly now?: () => number;
  /** The dashboard, served at `/` to browsers. @default none: `/` is the KPI app's for every caller */
  readonly page?: DashboardPage;
  /** Requests wait for this first (the lake being set up, sample data written). @default ready at once */
  readonly ready?: Promise<unknown>;
}

/** Errors raised outside either app (the lake not ready) and unknown paths: a door's path is answered as the doors answer, any other as the KPI API does. */
const onLocalError: ErrorHandler = (err, c) => (isDoorPath(c.req.path) ? onAwsError : onError)(err, c);
const onLocalNotFound: NotFoundHandler = (c) => (isDoorPath(c.req.path) ? onAwsNotFound : onNotFound)(c);

/**
 * The ingest doors and the KPI API as one app for the local server: the two apps the Lambda
 * handlers run, mounted unchanged, each answering its own errors its own way (docs/CONTRACT.md
 * §2 for the doors, §3 for the KPI API); and the dashboard page at `/` for requests that accept
 * HTML (browsers), served at once, while the lake is still being prepared.
 */
export function createLocalApp(deps: LocalAppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  app.onError(onLocalError);
  app.notFound(onLocalNotFound);
  if (deps.page) app.use(dashboardRoute(deps.page));
  const { ready } = deps;
  if (ready) {
    app.use(async (_c, next) => {
      await ready.catch((err: unknown) => {
        throw new ServiceUnavailableError('The local server could not prepare its lake', { cause: err });
      });
      await next();
    });
  }
  const { lake, now } = deps;
  app.route('/', createIngestApp({ sink: deps.sink, lake, allowedApps: deps.allowedApps, now }));
  app.route('/', createKpiApp({ engine: deps.engine, lake, apps: deps.apps, now }));
  return app;
}
