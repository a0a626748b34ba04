import { lakeWindow } from '../../lambdas/core/lake-window';
import type { DtRange, RollupCatalog } from '../../lambdas/core/rollup-catalog';
import type { KpiDefinition } from '../../lambdas/kpi/kpi-definitions';
import { type PlannedKpi, planKpi } from '../../lambdas/kpi/kpi-planner';
import { TEST_LAKE } from './lake';

/**
 * The SQL the planner writes for a definition in each situation it meets: no rollups, every day
 * rolled up, some days stale (raw and rollups together), a zone whose offset is 0 on some days
 * only (London across a change of clocks), and a time zone whose offsets are not whole
 * quarter-hours (raw only) — for the tests that check every text the engines can receive.
 */

const catalog = (raw: (range: DtRange) => DtRange[]): RollupCatalog => ({
  coverage: async (_appId, range) => ({ raw: raw(range), version: 'v1', latestArrival: 1 }),
});

export const CATALOGS: Readonly<Record<string, RollupCatalog>> = {
  'no rollups': catalog((range) => [range]),
  'every day rolled up': catalog(() => []),
  'some days stale': catalog((range) => [
    { from: '2025-12-24', to: '2025-12-25' },
    { from: '2026-01-09', to: '2026-01-09' },
    { from: range.to, to: range.to },
  ]),
};

export interface PlannedCase {
  readonly name: string;
  readonly planned: PlannedKpi;
}

/** The planned SQL of a definition in each situation, for an example request. */
export async function plannedCases(
  definition: KpiDefinition,
  names: Readonly<Record<string, string>> = {
    eventName: 'level_complete',
    metric: 'score',
    attribute: 'level',
  },
): Promise<PlannedCase[]> {
  const cases: PlannedCase[] = [];
  const request = {
    definition,
    appId: 'demo',
    startDate: '2026-01-01',
    endDate: '2026-01-31',
    lastCompleteDate: '2026-02-14',
    names,
  };
  for (const [name, rollups] of Object.entries(CATALOGS)) {
    for (const timezone of ['UTC', 'America/New_York']) {
      cases.push({
        name: `${name}, ${timezone}`,
        planned: await planKpi({ ...request, timezone }, rollups, TEST_LAKE),
      });
    }
  }
  const odd = { ...request, startDate: '1971-06-01', endDate: '1971-06-30', timezone: 'Africa/Monrovia' };
  const everyDay = CATALOGS['every day rolled up'];
  const since1970 = lakeWindow('1970-01-01');
  if (everyDay) {
    cases.push({ name: 'an offset of -0:44:30', planned: await planKpi(odd, everyDay, since1970) });
    // London's clocks go forward on 2026-03-29: UTC days before it are local days, later ones are not.
    const london = { ...request, startDate: '2026-03-15', endDate: '2026-04-10', timezone: 'Europe/London' };
    cases.push({
      name: 'every day rolled up, London across DST',
      planned: await planKpi(london, everyDay, TEST_LAKE),
    });
  }
  return cases;
}
