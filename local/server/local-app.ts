import { Hono } from 'hono';
import { ServiceUnavailableError } from '../../lambdas/core/errors';
import type { EventSink } from '../../lambdas/core/event-sink';
import { onError, onNotFound } from '../../lambdas/http/error-handler';
import { createIngestApp } from '../../lambdas/ingest/ingest-app';
import { createKpiApp, type KpiAppDeps } from '../../lambdas/kpi/kpi-app';
import type { DashboardPage } from '../dashboard/dashboard-page';
import { dashboardRoute } from '../dashboard/dashboard-route';

export interface LocalAppDeps extends KpiAppDeps {
  readonly sink: EventSink;
  /** The only app ids the doors accept. @default every app id */
  readonly allowedApps?: ReadonlySet<string>;
  /** The dashboard, served at `/` to browsers. @default none: `/` is the KPI app's for every caller */
  readonly page?: DashboardPage;
  /** Requests wait for this first (the lake being set up, sample data written). @default ready at once */
  readonly ready?: Promise<unknown>;
}

/**
 * The ingest doors and the KPI API as one app for the local server: the two apps the Lambda
 * handlers run, mounted unchanged, with the shared error and not-found mappers; and the
 * dashboard page at `/` for requests that accept HTML (browsers), served at once, while the
 * lake is still being prepared.
 */
export function createLocalApp(deps: LocalAppDeps): Hono {
  const app = new Hono();
  app.onError(onError);
  app.notFound(onNotFound);
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
  app.route('/', createKpiApp(deps));
  return app;
}
