import type { QueryEngine, QueryResult, SqlParam } from '../../lambdas/core/query-engine';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { KPI_ROUTES } from '../../lambdas/kpi/kpi-routes';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';

/** Records the SQL and answers a zero for every requested day (the day list comes from the params). */
class RecordingEngine implements QueryEngine {
  readonly calls: { sql: string; params: readonly SqlParam[] }[] = [];

  async query(sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
    this.calls.push({ sql, params });
    const dates = params.filter((p): p is string => typeof p === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p));
    const [start, end] = [dates[0] ?? '', dates[1] ?? ''];
    const rows = [];
    for (
      let d = new Date(`${start}T00:00:00Z`);
      d.toISOString().slice(0, 10) <= end;
      d.setUTCDate(d.getUTCDate() + 1)
    ) {
      rows.push({ day: d.toISOString().slice(0, 10), value: 0 });
    }
    return { rows };
  }
}

const INPUTS = [
  {
    appId: 'demo',
    names: { eventName: 'level_complete', metric: 'score', attribute: 'level' },
    // Not UTC: a zone whose UTC days are local days gets other formula steps (ADR 025), which
    // depend on the zone's offsets, never on the text of a request.
    query: 'startDate=2026-01-01&endDate=2026-01-31&timezone=Asia/Tokyo',
    values: ['demo', 'level_complete', 'score', 'level', '2026-01-01', '2026-01-31', 'Asia/Tokyo'],
  },
  {
    appId: 'Other.App-2',
    names: { eventName: "o'brien; --", metric: '💰 "gold"', attribute: 'x\\y' },
    query: 'startDate=2025-06-10&endDate=2025-07-02&timezone=Asia/Kolkata',
    values: ['Other.App-2', "o'brien; --", '💰 "gold"', 'x\\y', '2025-06-10', '2025-07-02', 'Asia/Kolkata'],
  },
];

describe('no request value reaches SQL as text', () => {
  it.each(KPI_ROUTES.map((r) => [r.path] as const))(
    '%s runs the same SQL text for any request',
    async (path) => {
      const engine = new RecordingEngine();
      const app = createKpiApp({
        lake: TEST_LAKE,
        apps: NO_APPS,
        engine,
        now: () => Date.parse('2026-03-15T12:00:00Z'),
      });
      for (const input of INPUTS) {
        const url = path
          .replace('{appId}', input.appId)
          .replace(/\{(\w+)\}/g, (_, name: keyof typeof input.names) =>
            encodeURIComponent(input.names[name]),
          );
        const response = await app.request(`${url}?${input.query}`);
        expect(response.status).toBe(200);
      }
      const [first, second] = engine.calls;
      expect(engine.calls).toHaveLength(2);
      expect(second?.sql).toBe(first?.sql);
      INPUTS.forEach((input, i) => {
        const call = engine.calls[i];
        const used = input.values.filter((v) => call?.params.includes(v));
        for (const value of input.values) expect(call?.sql).not.toContain(value);
        // The time zone reaches the SQL as the UTC offsets the planner read for it.
        expect(used).toEqual(expect.arrayContaining([input.appId, input.values[4], input.values[5]]));
        expect(call?.sql.split('?').length).toBe((call?.params.length ?? 0) + 1);
      });
    },
  );

  it('binds the path names of custom event KPIs as parameters', async () => {
    const engine = new RecordingEngine();
    const app = createKpiApp({
      lake: TEST_LAKE,
      apps: NO_APPS,
      engine,
      now: () => Date.parse('2026-03-15T12:00:00Z'),
    });
    await app.request(
      '/apps/demo/events/e%27vent/metrics/m%27etric/sum?startDate=2026-01-01&endDate=2026-01-02',
    );
    expect(engine.calls[0]?.params).toEqual(expect.arrayContaining(["e'vent", "m'etric"]));
  });
});
