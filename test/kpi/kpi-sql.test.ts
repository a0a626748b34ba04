import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';
import { namedQuerySql } from '../../lambdas/kpi/named-queries';
import { kpiSpan } from '../../lambdas/kpi/sql/kpi-sql';
import { ROLLUP_ACTIVITY, ROLLUP_CLIENT_DAYS, ROLLUP_EVENT_STATS } from '../../lambdas/rollups/rollup-tables';
import { plannedCases } from '../support/planned-sql';

/** The WITH steps of a KPI query, by name, and the final SELECT. */
function steps(sql: string): { ctes: Map<string, string>; final: string } {
  const ctes = new Map<string, string>();
  for (const match of sql.matchAll(/^(\w+) AS \(\n([\s\S]*?)\n\)/gm))
    ctes.set(match[1] ?? '', match[2] ?? '');
  return { ctes, final: sql.slice(sql.lastIndexOf('\nSELECT')) };
}

/** How often a text reads a table or step (in a FROM or JOIN). */
const reads = (text: string, name: string) =>
  text.match(new RegExp(`\\b(FROM|JOIN) ${name}\\b`, 'g'))?.length ?? 0;

/** Every text an engine can receive for a definition: the planned ones and the named query's. */
async function texts(definition: (typeof KPI_DEFINITIONS)[number]) {
  const planned = (await plannedCases(definition)).map((c) => ({
    name: c.name,
    text: c.planned.sql,
    params: c.planned.params.length,
  }));
  const named = namedQuerySql(definition);
  return [...planned, { name: 'named query', text: named.text, params: named.params.length }];
}

describe.each(KPI_DEFINITIONS.map((d) => [d.path, d] as const))('the SQL of %s', (_path, definition) => {
  it('has a ? for each value and no other', async () => {
    for (const { name, text, params } of await texts(definition)) {
      expect({ name, placeholders: text.split('?').length - 1 }).toEqual({ name, placeholders: params });
    }
  });

  it('restricts every table read by app_id and, for day tables, a dt range', async () => {
    for (const { text } of await texts(definition)) {
      const tableReads = [...text.matchAll(/FROM (events|rollup_\w+)\b[^\n]*\n\s*WHERE ([^\n]*)/g)];
      expect(tableReads.length).toBeGreaterThan(0);
      for (const match of tableReads) {
        expect(match[2]).toMatch(/^app_id = \?/);
        if (match[1] !== 'rollup_clients') expect(match[2]).toMatch(/dt (BETWEEN \? AND \?|<= \?)/);
      }
      expect(text).not.toMatch(/SELECT \*|approx_distinct/);
    }
  });

  it('reads each relation once (Trino inlines a CTE at every use, and would read its data again)', async () => {
    for (const { name, text } of await texts(definition)) {
      const { ctes, final } = steps(text);
      for (const relation of ['activity', 'first_seen', 'event_stats']) {
        if (!ctes.has(relation)) continue;
        const users = [...ctes.values(), final].reduce((n, body) => n + reads(body, relation), 0);
        expect({ name, relation, users }).toEqual({ name, relation, users: 1 });
      }
    }
  });

  it('reads rollups where the plan has them, and only the tables the KPI needs', async () => {
    const span = kpiSpan(definition.formula.reads);
    const cases = await plannedCases(definition);
    const sqlOf = (name: string) => cases.find((c) => c.name === name)?.planned.sql ?? '';
    const rolledUp = sqlOf('every day rolled up, UTC');
    const activity = definition.formula.reads.activity !== undefined;
    expect(rolledUp).not.toMatch(/\bFROM events\b/);
    // UTC days are local days: their clients, without quarter-hours.
    expect(reads(rolledUp, ROLLUP_CLIENT_DAYS.name) > 0).toBe(activity);
    expect(reads(rolledUp, ROLLUP_ACTIVITY.name)).toBe(0);
    const newYork = sqlOf('every day rolled up, America/New_York');
    expect(reads(newYork, ROLLUP_ACTIVITY.name) > 0).toBe(activity);
    expect(reads(newYork, ROLLUP_CLIENT_DAYS.name)).toBe(0);
    const london = sqlOf('every day rolled up, London across DST');
    expect(reads(london, ROLLUP_CLIENT_DAYS.name) > 0).toBe(activity);
    expect(reads(london, ROLLUP_ACTIVITY.name) > 0).toBe(activity);
    expect(reads(rolledUp, ROLLUP_EVENT_STATS.name) > 0).toBe(
      definition.formula.reads.eventStats !== undefined,
    );
    expect(reads(rolledUp, 'rollup_clients') > 0).toBe(span.history);
    const raw = cases.find((c) => c.name === 'no rollups, UTC')?.planned.sql ?? '';
    expect(raw).not.toMatch(/rollup_/);
    const odd = cases.find((c) => c.name === 'an offset of -0:44:30')?.planned.sql ?? '';
    expect(odd).not.toMatch(/rollup_/);
  });
});
