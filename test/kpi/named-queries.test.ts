import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';
import { namedQueries } from '../../lambdas/kpi/named-queries';

describe('namedQueries', () => {
  const queries = namedQueries();

  it('has one query per KPI, with unique names Athena accepts', () => {
    expect(queries.map((q) => q.name)).toEqual(KPI_DEFINITIONS.map((d) => d.path.slice(1)));
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
    for (const q of queries) {
      expect(q.name.length).toBeLessThanOrEqual(128);
      expect(q.description.length).toBeLessThanOrEqual(1024);
    }
  });

  it('runs the same SQL as the API, placeholders kept', () => {
    queries.forEach((q, i) => {
      expect(q.sql).toBe(KPI_DEFINITIONS[i]?.sql.text);
      expect(q.sql).toContain('?');
    });
  });

  it('lists the parameters in placeholder order, each with a quoted example', () => {
    queries.forEach((q, i) => {
      const params = KPI_DEFINITIONS[i]?.sql.params ?? [];
      const listed = [...q.description.matchAll(/(\d+)\) (\w+) \([^)]*\) e\.g\. '([^']*)'/g)];
      expect(listed.map((m) => Number(m[1]))).toEqual(params.map((_, n) => n + 1));
      expect(listed.map((m) => m[2])).toEqual(params);
      expect(q.sql.split('?').length - 1).toBe(params.length);
    });
  });

  it('gives event, metric and attribute KPIs a parameter for each name', () => {
    const byName = new Map(queries.map((q) => [q.name, q]));
    expect(byName.get('events/{eventName}/count')?.description).toContain(
      "event_name (event type) e.g. 'level_complete'",
    );
    expect(byName.get('events/{eventName}/metrics/{metric}/avg')?.description).toContain(
      "metric (metric name) e.g. 'score'",
    );
    expect(byName.get('events/{eventName}/attributes/{attribute}/sum')?.description).toContain(
      "attribute (attribute name) e.g. 'level'",
    );
  });

  it('explains how far the partition range reaches for windows before and after the range', () => {
    const byName = new Map(queries.map((q) => [q.name, q]));
    expect(byName.get('kpis/mau/count')?.description).toContain(
      "first_dt (first UTC partition: start_date - 30) e.g. '2025-12-02'",
    );
    expect(byName.get('kpis/week-3-retention/count')?.description).toContain(
      "last_dt (last UTC partition: end_date + 22) e.g. '2026-02-22'",
    );
  });
});
