import type { EventRecord } from '../../lambdas/core/event-record';
import { KPI_ROUTES } from '../../lambdas/kpi/kpi-routes';
import { expectSameSeries } from '../support/expect-same-series';
import { generateEvents } from '../support/generate-events';
import { type KpiLake, kpiLake } from '../support/kpi-lakes';
import { type ReferenceValue, referenceKpi } from '../support/reference-kpis';

/**
 * A zone whose offset is not a whole number of quarter-hours: Africa/Monrovia was UTC-0:44:30
 * until 1972-01-07. Quarter-hour rollups cannot give its local days, so the planner reads raw
 * events for it, exactly, while UTC requests over the same days read the rollups.
 */
const NOW = Date.parse('1972-01-25T12:00:00Z');
const RANGE = { startDate: '1971-12-28', endDate: '1972-01-15' };
const NAMES = { eventName: 'level_complete', metric: 'score', attribute: 'level' };

let events: EventRecord[];
let lake: KpiLake;

beforeAll(async () => {
  events = generateEvents({
    seed: 1971,
    appId: 'demo',
    from: '1971-11-20',
    to: '1972-01-24',
    clients: 60,
    midnightZones: ['Africa/Monrovia'],
  });
  lake = await kpiLake('rollups', events, { now: NOW, seed: 1, lakeStartDate: '1970-01-01' });
});

afterAll(async () => {
  await lake.close();
});

interface Answer {
  readonly values: ReferenceValue[];
  readonly source: { readonly rollup: string[]; readonly raw: string[] };
}

async function answer(path: string, timezone: string): Promise<Answer> {
  const concrete = path.replace(/\{(\w+)\}/g, (_, name: keyof typeof NAMES) => NAMES[name]);
  const response = await lake.app.request(
    `/apps/demo${concrete}?${new URLSearchParams({ ...RANGE, timezone })}`,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as Answer;
}

describe.each([
  ['Africa/Monrovia', 'raw'],
  ['UTC', 'rollup'],
] as const)('KPIs in %s over the days Monrovia left UTC-0:44:30', (timezone, from) => {
  it.each(KPI_ROUTES.map((r) => r.definition.path))(`%s come from ${from}, exact`, async (path) => {
    const got = await answer(path, timezone);
    const expected = referenceKpi(events, {
      appId: 'demo',
      path,
      ...RANGE,
      timezone,
      lastCompleteDate: '1972-01-24',
      ...NAMES,
    });
    expect(expected.some((v) => v.value !== 0 && v.value !== null)).toBe(true);
    expectSameSeries(path, got.values, expected);
    expect(got.source[from === 'raw' ? 'rollup' : 'raw']).toEqual([]);
  });
});
