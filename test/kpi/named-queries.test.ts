import { TrinoSQL } from 'dt-sql-parser';
import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';
import { NAMED_QUERY_EXAMPLE, namedQueries } from '../../lambdas/kpi/named-queries';
import { TEST_LAKE } from '../support/lake';
import { placeholdersOutsideStrings } from '../support/sql-placeholders';

const trino = new TrinoSQL();

describe('namedQueries', () => {
  const queries = namedQueries(TEST_LAKE);

  it('has one query per KPI, with unique names Athena accepts', () => {
    expect(queries.map((q) => q.name)).toEqual(KPI_DEFINITIONS.map((d) => d.path.slice(1)));
    expect(new Set(queries.map((q) => q.name)).size).toBe(queries.length);
    for (const q of queries) {
      expect(q.name.length).toBeLessThanOrEqual(128);
      expect(q.description.length).toBeLessThanOrEqual(1024);
    }
  });

  it('are valid saved queries: no ? parameter at all (Athena takes them only in WHERE), one Trino statement', () => {
    for (const q of queries) {
      expect(placeholdersOutsideStrings(q.sql)).toEqual([]);
      expect(trino.validate(q.sql)).toEqual([]);
      expect(trino.splitSQLByStatement(q.sql)).toHaveLength(1);
    }
  });

  it('run the API’s SQL with the example request’s values as literals, listed in a comment to edit', () => {
    queries.forEach((q, i) => {
      const definition = KPI_DEFINITIONS[i];
      const body = q.sql
        .split('\n')
        .filter((line) => !line.startsWith('--'))
        .join('\n');
      expect(body.replace(/'[^']*'/g, '?')).toBe(definition?.sql.text.replace(/'[^']*'/g, '?'));
      expect(body).toContain(`app_id = '${NAMED_QUERY_EXAMPLE.appId}'`);
      expect(q.sql).toMatch(/^-- .*\n-- Written for an example request/);
      for (const name of new Set(definition?.sql.params)) {
        if (name === 'lake_start_date') {
          expect(q.sql).toContain(
            "-- It reads every day from the lake's first day, '2014-01-01' (keep that one).",
          );
          expect(body).toContain("dt BETWEEN '2014-01-01' AND");
        } else {
          expect(q.sql).toMatch(new RegExp(`^--   '[^']*'  ${name} \\(`, 'm'));
        }
      }
      expect(q.description).toContain(
        'Edit the example values listed in the comment at the top of the query.',
      );
    });
  });

  it('gives event, metric and attribute KPIs their names as example values', () => {
    const byName = new Map(queries.map((q) => [q.name, q]));
    expect(byName.get('events/{eventName}/count')?.sql).toContain(
      "--   'level_complete'  event_name (event type)",
    );
    expect(byName.get('events/{eventName}/metrics/{metric}/avg')?.sql).toContain(
      "--   'score'  metric (metric name)",
    );
    expect(byName.get('events/{eventName}/attributes/{attribute}/sum')?.sql).toContain(
      "--   'level'  attribute (attribute name)",
    );
  });

  it('explains how far the partition range reaches for windows before and after the range', () => {
    const byName = new Map(queries.map((q) => [q.name, q]));
    expect(byName.get('kpis/mau/count')?.sql).toContain(
      "--   '2025-12-02'  first_dt (first UTC partition: start_date - 30, not before the lake's first day)",
    );
    expect(byName.get('kpis/week-3-retention/count')?.sql).toContain(
      "--   '2026-02-22'  last_dt (last UTC partition: end_date + 22)",
    );
  });
});
