import { TrinoSQL } from 'dt-sql-parser';
import { sqlLiteral } from '../../lambdas/core/sql-literal';
import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';
import { namedParameters } from '../../lambdas/kpi/kpi-parameters';
import { namedQueries } from '../../lambdas/kpi/named-queries';

const trino = new TrinoSQL();

/** The SQL as Athena runs it: each `?` replaced by its parameter rendered as a literal. */
function withLiterals(sql: string, literals: readonly string[]): string {
  let i = 0;
  return sql.replace(/\?/g, () => literals[i++] ?? '?');
}

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
    '%s, with parameters substituted as Athena does',
    (_path, definition) => {
      const literals = namedParameters({ ...example, definition }).map((p) => sqlLiteral(p.value));
      const substituted = withLiterals(definition.sql.text, literals);
      expect(substituted).not.toContain('?');
      expect(trino.validate(substituted)).toEqual([]);
      expect(trino.splitSQLByStatement(substituted)).toHaveLength(1);
    },
  );

  it.each(namedQueries().map((q) => [q.name, q] as const))('named query %s', (_name, query) => {
    expect(trino.validate(query.sql)).toEqual([]);
  });

  it('rejects broken SQL, so the checks above can fail', () => {
    expect(trino.validate('SELECT FROM events WHERE')).not.toEqual([]);
    expect(trino.splitSQLByStatement('SELECT 1; DROP TABLE events')).toHaveLength(2);
  });
});
