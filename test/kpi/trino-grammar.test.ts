import { TrinoSQL } from 'dt-sql-parser';
import { inlineParameters } from '../../lambdas/core/sql-literal';
import { eventCatalogueQuery } from '../../lambdas/kpi/event-catalogue';
import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';
import { sqlParameters } from '../../lambdas/kpi/kpi-parameters';
import { namedQueries } from '../../lambdas/kpi/named-queries';
import { renderBound } from '../../lambdas/kpi/sql/sql-text';
import {
  activityRowsSql,
  clientRowsSql,
  daySummarySql,
  eventStatsRowsSql,
} from '../../lambdas/rollups/rollup-sql';
import {
  countRecordsSql,
  mergeActivitySql,
  mergeClientsSql,
  mergeEventStatsSql,
  recordsOfSql,
  unloadSql,
} from '../../lambdas/rollups/rollup-statements';
import { TEST_LAKE } from '../support/lake';
import { plannedCases } from '../support/planned-sql';

const trino = new TrinoSQL();

const HOSTILE = { eventName: "it's; DROP TABLE events --", metric: 'score', attribute: 'level' };

describe('every generated Athena SQL is one valid Trino statement', () => {
  it.each(KPI_DEFINITIONS.map((d) => [d.path, d] as const))(
    '%s, as planned over rollups and raw events, with placeholders and with the values as literals',
    async (_path, definition) => {
      for (const { name, planned } of await plannedCases(definition, HOSTILE)) {
        for (const text of [planned.sql, inlineParameters(planned.sql, planned.params)]) {
          expect({ name, errors: trino.validate(text) }).toEqual({ name, errors: [] });
          expect(trino.splitSQLByStatement(text)).toHaveLength(1);
        }
      }
    },
  );

  it.each(['UTC', 'America/New_York'])(
    'the event catalogue in %s, with placeholders and with the values as literals',
    (timezone) => {
      const range = {
        appId: 'demo',
        startDate: '2026-01-01',
        endDate: '2026-03-31',
        timezone,
        lastCompleteDate: '2026-04-01',
        names: {},
      };
      const text = eventCatalogueQuery(range, TEST_LAKE);
      const span = { daysBefore: 0, daysAfter: 0, history: false };
      const values = sqlParameters(text, span, range, TEST_LAKE, 'the event catalogue').map((p) => p.value);
      const substituted = inlineParameters(text.text, values);
      for (const statement of [text.text, substituted]) {
        expect(trino.validate(statement)).toEqual([]);
        expect(trino.splitSQLByStatement(statement)).toHaveLength(1);
      }
    },
  );

  it.each(namedQueries(TEST_LAKE).map((q) => [q.name, q] as const))('named query %s', (_name, query) => {
    expect(trino.validate(query.sql)).toEqual([]);
  });

  it.each([
    ['client rows', clientRowsSql],
    ['activity rows', activityRowsSql],
    ['event stats rows', eventStatsRowsSql],
    ['day summary', daySummarySql],
  ] as const)('the rollup build SQL: %s', (_name, build) => {
    const text = build({ appId: "o'brien", firstDt: '2026-01-01', lastDt: '2026-01-31' });
    const values = text.params.map((p) => (typeof p === 'string' ? p : p.value));
    const rendered = inlineParameters(text.text, values);
    expect(trino.validate(rendered)).toEqual([]);
    expect(trino.splitSQLByStatement(rendered)).toHaveLength(1);
  });

  const objects = {
    appId: "o'brien",
    dt: '2026-01-01',
    paths: ["s3://lake/events/app_id=o'brien/dt=2026-01-01/a.parquet", 's3://lake/b.parquet'],
  };
  it.each([
    ['MERGE into rollup_clients', mergeClientsSql],
    ['MERGE into rollup_activity', mergeActivitySql],
    ['MERGE into rollup_event_stats', mergeEventStatsSql],
    ['count of listed objects', () => countRecordsSql(objects)],
    ['records of listed objects (the SELECT of compaction’s UNLOAD)', () => recordsOfSql(objects)],
  ] as const)('the rollup job’s statements: %s', (_name, build) => {
    const rendered = renderBound(build({ appId: "o'brien", firstDt: '2026-01-01', lastDt: '2026-01-31' }));
    expect(trino.validate(rendered)).toEqual([]);
    expect(trino.splitSQLByStatement(rendered)).toHaveLength(1);
  });

  it('the UNLOAD of compaction wraps that SELECT and names an s3 location as a literal', () => {
    const text = renderBound(unloadSql(objects, "s3://lake/rollups/compaction/r'1/"));
    expect(text).toBe(
      `UNLOAD (\n${renderBound(recordsOfSql(objects))}\n) TO 's3://lake/rollups/compaction/r''1/' WITH (format = 'PARQUET', compression = 'SNAPPY')`,
    );
  });

  it('rejects broken SQL, so the checks above can fail', () => {
    expect(trino.validate('SELECT FROM events WHERE')).not.toEqual([]);
    expect(trino.splitSQLByStatement('SELECT 1; DROP TABLE events')).toHaveLength(2);
  });
});
