import { KPI_DEFINITIONS, type KpiDefinition } from './kpi-definitions';
import type { PathParameter } from './kpi-request';

/**
 * The route table: one GET route per KPI definition under `/apps/{appId}`. It drives both the
 * Hono routing (kpi-app.ts) and the OpenAPI document (openapi.ts).
 */
export interface KpiRoute {
  /** OpenAPI-style path, e.g. `/apps/{appId}/events/{eventName}/count`. */
  readonly path: string;
  readonly pathParameters: readonly PathParameter[];
  readonly definition: KpiDefinition;
}

export const KPI_ROUTES: readonly KpiRoute[] = KPI_DEFINITIONS.map((definition) => {
  const path = `/apps/{appId}${definition.path}`;
  const pathParameters = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as PathParameter);
  return { path, pathParameters, definition };
});

/** The same path in Hono's syntax: `/apps/:appId/...`. */
export function honoPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** The `kpi` of a response: the requested path below the app, `kpis/` left out (e.g. `dau/count`). */
export function kpiName(definition: KpiDefinition, names: Readonly<Record<string, string>>): string {
  return definition.path
    .replace(/^\/(kpis\/)?/, '')
    .replace(/\{(\w+)\}/g, (_, name: string) => names[name] ?? `{${name}}`);
}
