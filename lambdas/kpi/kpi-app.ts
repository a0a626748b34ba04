import { Hono } from 'hono';
import { onError, onNotFound } from '../http/error-handler';
import { requestId } from '../http/request-id';
import { parseKpiRequest } from './kpi-request';
import { honoPath, KPI_ROUTES, kpiName } from './kpi-routes';
import { openApiDocument } from './openapi';
import { PlannedKpiSource, type PlannedKpiSourceOptions } from './planned-kpi-source';

export interface KpiAppDeps extends PlannedKpiSourceOptions {
  /** The clock for default dates and the last complete day. @default Date.now */
  readonly now?: () => number;
}

/**
 * The KPI API of docs/CONTRACT.md §3: `GET /apps/{appId}/<path>` for every KPI definition, and
 * `GET /openapi.json`. The same app runs in Lambda (Athena engine) and locally (DuckDB). An
 * answer from current rollups only carries an `ETag`; a request whose `If-None-Match` still
 * names the answer's is a 304.
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

  const openApi = openApiDocument();
  app.get('/openapi.json', (c) => c.json(openApi));
  return app;
}
