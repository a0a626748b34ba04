import { Hono } from 'hono';
import type { QueryEngine } from '../core/query-engine';
import { onError, onNotFound } from '../http/error-handler';
import { requestId } from '../http/request-id';
import { parseKpiRequest } from './kpi-request';
import { honoPath, KPI_ROUTES, kpiName } from './kpi-routes';
import { openApiDocument } from './openapi';
import { SqlKpiSource } from './sql-kpi-source';

export interface KpiAppDeps {
  readonly engine: QueryEngine;
  /** The clock for default dates and the last complete day. @default Date.now */
  readonly now?: () => number;
}

/**
 * The KPI API of docs/CONTRACT.md §3: `GET /apps/{appId}/<path>` for every KPI definition, and
 * `GET /openapi.json`. The same app runs in Lambda (Athena engine) and locally (DuckDB).
 */
export function createKpiApp(deps: KpiAppDeps): Hono {
  const source = new SqlKpiSource(deps.engine);
  const now = deps.now ?? Date.now;
  const app = new Hono();
  app.use(requestId());
  app.onError(onError);
  app.notFound(onNotFound);

  for (const route of KPI_ROUTES) {
    app.get(honoPath(route.path), async (c) => {
      const query = parseKpiRequest(route.definition, c.req.param(), new URL(c.req.url).searchParams, now());
      const series = await source.series(query);
      return c.json({
        appId: query.appId,
        kpi: kpiName(route.definition, query.names),
        startDate: query.startDate,
        endDate: query.endDate,
        timezone: query.timezone,
        values: series.values,
        ...(series.bytesScanned === undefined ? {} : { bytesScanned: series.bytesScanned }),
        ...(series.cached === undefined ? {} : { cached: series.cached }),
      });
    });
  }

  const openApi = openApiDocument();
  app.get('/openapi.json', (c) => c.json(openApi));
  return app;
}
