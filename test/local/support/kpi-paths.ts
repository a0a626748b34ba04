/** The KPI paths the end-to-end tests ask a server for: every family, one of each kind. */
export const E2E_KPI_PATHS = [
  '/kpis/dau/count',
  '/kpis/mau/count',
  '/kpis/new-users/count',
  '/kpis/new-users/lifetime-count',
  '/kpis/sessions/count',
  '/kpis/daily-revenue/sum',
  '/kpis/pdau/count',
  '/kpis/pmau/count',
  '/kpis/day-1-retention/count',
  '/kpis/week-1-retention/count',
  '/events/{eventName}/count',
  '/events/{eventName}/metrics/{metric}/sum',
  '/events/{eventName}/attributes/{attribute}/avg',
] as const;

/** The names the generated events use, for the `{eventName}`, `{metric}` and `{attribute}` of the paths. */
export const E2E_NAMES: Readonly<Record<string, string>> = {
  eventName: 'level_complete',
  metric: 'score',
  attribute: 'level',
};

/** A path of {@link E2E_KPI_PATHS} with its names filled in, URL-encoded. */
export function concretePath(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(E2E_NAMES[name] ?? ''));
}
