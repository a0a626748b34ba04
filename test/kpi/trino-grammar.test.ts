import { TrinoSQL } from 'dt-sql-parser';
import { inlineParameters } from '../../lambdas/core/sql-literal';
import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';
import { namedParameters, planParameters } from '../../lambdas/kpi/kpi-parameters';
import { namedQueries } from '../../lambdas/kpi/named-queries';
import { EVENT_CATALOGUE_PLAN } from '../../lambdas/kpi/sql/event-catalogue-sql';
import { TEST_LAKE } from '../support/lake';

const trino = new TrinoSQL();

const example = {
  appId: 'demo',
  startDate: '2026-01-01',
  endDate: '2026-01-31',
  timezone: 'Asia/Kolkata',
  lastCompleteDate: '2026-02-14',
  names: { eventName: "it's; DROP TABLE events --", metric: 'score', attribute: 'level' },
};

describe('every generated Athena SQL is one valid Trino statement', () => {
  it.each(KPI_DEFINITIONS.map((d) => [d.path, d] as const))('%s, with placeholders', (_path, definition) => {
    expect(trino.validate(definition.sql.text)).toEqual([]);
    expect(trino.splitSQLByStatement(definition.sql.text)).toHaveLength(1);
  });

  it.each(KPI_DEFINITIONS.map((d) => [d.path, d] as const))(
    '%s, with the values as literals, as Athena receives it',
    (_path, definition) => {
      const values = namedParameters({ ...example, definition }, TEST_LAKE).map((p) => p.value);
      const substituted = inlineParameters(definition.sql.text, values);
      expect(substituted).not.toContain('?');
      expect(trino.validate(substituted)).toEqual([]);
      expect(trino.splitSQLByStatement(substituted)).toHaveLength(1);
    },
  );

  it('the event catalogue, with placeholders and with the values as literals', () => {
    const { text } = EVENT_CATALOGUE_PLAN.sql;
    const values = planParameters(EVENT_CATALOGUE_PLAN, example, TEST_LAKE, 'the event catalogue').map(
      (p) => p.value,
    );
    const substituted = inlineParameters(text, values);
    expect(substituted).not.toContain('?');
    for (const statement of [text, substituted]) {
      expect(trino.validate(statement)).toEqual([]);
      expect(trino.splitSQLByStatement(statement)).toHaveLength(1);
    }
  });

  it.each(namedQueries(TEST_LAKE).map((q) => [q.name, q] as const))('named query %s', (_name, query) => {
    expect(trino.validate(query.sql)).toEqual([]);
  });

  it('rejects broken SQL, so the checks above can fail', () => {
    expect(trino.validate('SELECT FROM events WHERE')).not.toEqual([]);
    expect(trino.splitSQLByStatement('SELECT 1; DROP TABLE events')).toHaveLength(2);
  });
});
