import type { QueryEngine } from '../../lambdas/core/query-engine';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';
import { EVENT_CATALOGUE_PLAN } from '../../lambdas/kpi/sql/event-catalogue-sql';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';

interface Operation {
  operationId: string;
  parameters: { $ref: string }[];
  responses: Record<string, unknown>;
}
interface Document {
  openapi: string;
  paths: Record<string, { get: Operation }>;
  components: {
    parameters: Record<string, { name: string; in: string; required: boolean; schema: unknown }>;
  };
}

/** Answers a KPI query with one day of 0, and the event catalogue with no event type. */
const zeroEngine: QueryEngine = {
  async query(sql, params) {
    if (sql === EVENT_CATALOGUE_PLAN.sql.text) return { rows: [] };
    const [start] = params.filter((p) => typeof p === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p));
    return { rows: [{ day: start as string, value: 0 }] };
  },
};
const app = createKpiApp({
  lake: TEST_LAKE,
  apps: NO_APPS,
  engine: zeroEngine,
  now: () => Date.parse('2026-03-15T12:00:00Z'),
});

async function document(): Promise<Document> {
  const response = await app.request('/openapi.json');
  expect(response.status).toBe(200);
  return (await response.json()) as Document;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with a GET operation for every KPI path under /apps/{appId}, /apps, its events and the index', async () => {
    const doc = await document();
    expect(doc.openapi).toBe('3.1.0');
    const kpiPaths = Object.keys(doc.paths).filter(
      (p) => p.startsWith('/apps/{appId}/') && p !== '/apps/{appId}/events',
    );
    expect(kpiPaths.sort()).toEqual(KPI_DEFINITIONS.map((d) => `/apps/{appId}${d.path}`).sort());
    expect(doc.paths).toHaveProperty(['/', 'get']);
    expect(doc.paths).toHaveProperty(['/apps', 'get']);
    expect(doc.paths).toHaveProperty(['/apps/{appId}/events', 'get']);
    const ids = Object.values(doc.paths).map((p) => p.get.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('documents every path parameter and the three query parameters, and every response', async () => {
    const doc = await document();
    for (const [path, { get }] of Object.entries(doc.paths)) {
      if (!path.startsWith('/apps/')) continue;
      const names = get.parameters.map((p) => doc.components.parameters[p.$ref.split('/').pop() ?? '']);
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(names.filter((p) => p?.in === 'path').map((p) => p?.name)).toEqual(inPath);
      expect(names.filter((p) => p?.in === 'query').map((p) => p?.name)).toEqual([
        'startDate',
        'endDate',
        'timezone',
      ]);
      expect(names.every((p) => p?.schema !== undefined)).toBe(true);
      expect(Object.keys(get.responses)).toEqual(['200', '400', '404', '429', '503', '504']);
    }
  });

  it('lists only paths the app answers', async () => {
    const doc = await document();
    for (const path of Object.keys(doc.paths)) {
      const concrete = path.replace(/\{(\w+)\}/g, 'x');
      const response = await app.request(
        `${concrete}${path.startsWith('/apps/') ? '?startDate=2026-03-01&endDate=2026-03-01' : ''}`,
      );
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
    }
  });
});
