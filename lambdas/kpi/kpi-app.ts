import { type Context, Hono } from 'hono';
import type { AppDirectory } from '../core/app-directory';
import { onError, onNotFound } from '../http/error-handler';
import { type LambdaBindings, requestId } from '../http/request-id';
import { eventCatalogue } from './event-catalogue';
import { parseKpiRequest, parseRangeRequest, rejectUnknownParameters } from './kpi-request';
import { honoPath, KPI_ROUTES, kpiName } from './kpi-routes';
import { openApiDocument } from './openapi';
import { PlannedKpiSource, type PlannedKpiSourceOptions } from './planned-kpi-source';

export interface KpiAppDeps extends PlannedKpiSourceOptions {
  /** The apps that have events, for `GET /apps`. */
  readonly apps: AppDirectory;
  /** The clock for default dates and the last complete day. @default Date.now */
  readonly now?: () => number;
}

/**
 * Where the API is served below the host: the stage when API Gateway runs it (`/prod`), nothing
 * locally. The Lambda adapter gives the app the path below the stage, the request context the
 * path the client called.
 */
function basePath(c: Context): string {
  const withoutSlash = (path: string) => path.replace(/\/+$/, '');
  const called = withoutSlash((c.env as LambdaBindings | undefined)?.event?.requestContext?.path ?? '');
  const path = withoutSlash(c.req.path);
  return called.endsWith(path) ? called.slice(0, called.length - path.length) : '';
}

/**
 * The KPI API of docs/CONTRACT.md §3: `GET /apps/{appId}/<path>` for every KPI definition,
 * `GET /apps`, `GET /apps/{appId}/events` (the app's event types), `GET /openapi.json`, and
 * `GET /`, an index linking them. The same app runs in Lambda (Athena engine) and locally
 * (DuckDB). A KPI answer from current rollups only carries an `ETag`; a request whose
 * `If-None-Match` still names the answer's is a 304 (docs/ROLLUPS.md).
 */
export function createKpiApp(deps: KpiAppDeps): Hono {
  const source = new PlannedKpiSource(deps);
  const now = deps.now ?? Date.now;
  const app = new Hono();
  app.use(requestId());
  app.onError(onError);
  app.notFound(onNotFound);

  for (const route of KPI_ROUTES) {
    app.get(honoPath(route.path), async (c) => {
      const query = parseKpiRequest(route.definition, c.req.param(), new URL(c.req.url).searchParams, now());
      const answer = await source.series(query, { ifNoneMatch: c.req.header('if-none-match') });
      if ('notModified' in answer) {
        c.header('ETag', answer.etag);
        return c.body(null, 304);
      }
      if (answer.etag !== undefined) c.header('ETag', answer.etag);
      return c.json({
        appId: query.appId,
        kpi: kpiName(route.definition, query.names),
        startDate: query.startDate,
        endDate: query.endDate,
        timezone: query.timezone,
        values: answer.values,
        source: answer.source,
        ...(answer.bytesScanned === undefined ? {} : { bytesScanned: answer.bytesScanned }),
        engineMs: answer.engineMs,
        freshness: answer.freshness === undefined ? null : new Date(answer.freshness).toISOString(),
        ...(answer.cached === undefined ? {} : { cached: answer.cached }),
      });
    });
  }

  app.get('/apps', async (c) => {
    rejectUnknownParameters(new URL(c.req.url).searchParams, []);
    return c.json({ apps: await deps.apps.apps() });
  });
  app.get('/apps/:appId/events', async (c) => {
    const range = parseRangeRequest(c.req.param(), new URL(c.req.url).searchParams, now());
    const catalogue = await eventCatalogue(deps.engine, deps.lake, range);
    return c.json({
      appId: range.appId,
      startDate: range.startDate,
      endDate: range.endDate,
      timezone: range.timezone,
      ...catalogue,
    });
  });

  const openApi = openApiDocument();
  app.get('/openapi.json', (c) => c.json(openApi));
  app.get('/', (c) => {
    const base = basePath(c);
    return c.json({
      name: openApi.info.title,
      description: openApi.info.description,
      links: {
        openapi: `${base}/openapi.json`,
        apps: `${base}/apps`,
        example: `${base}/apps/{appId}/kpis/dau/count?startDate=YYYY-MM-DD&endDate=YYYY-MM-DD&timezone=UTC`,
      },
    });
  });
  return app;
}
