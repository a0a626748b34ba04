import { KPI_DEFINITIONS } from '../../lambdas/kpi/kpi-definitions';

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

describe.each(KPI_DEFINITIONS.map((d) => [d.path, d] as const))('the SQL of %s', (_path, definition) => {
  const { text, params } = definition.sql;

  it('has a ? for each parameter and no other', () => {
    expect(text.split('?').length - 1).toBe(params.length);
  });

  it('restricts app_id by equality and dt by a range, on the one read of events', () => {
    expect(reads(text, 'events')).toBe(1);
    expect(text).toContain('WHERE app_id = ?');
    expect(text).toMatch(/AND dt BETWEEN \? AND \?/);
    // All-history KPIs read from the lake's first day, the others from just before their window.
    expect(params).toContain(definition.reads.history ? 'lake_start_date' : 'first_dt');
    expect(params).not.toContain(definition.reads.history ? 'first_dt' : 'lake_start_date');
    expect(text).not.toMatch(/SELECT \*|approx_distinct/);
  });

  it('reads the events once in Athena: every step built on them is used once (Trino inlines CTEs)', () => {
    const { ctes, final } = steps(text);
    const readsEvents = new Set(['scanned']);
    for (const [name, body] of ctes)
      if ([...readsEvents].some((r) => reads(body, r) > 0)) readsEvents.add(name);
    for (const name of readsEvents) {
      const users = [...ctes.values(), final].reduce((n, body) => n + reads(body, name), 0);
      expect({ name, users }).toEqual({ name, users: 1 });
    }
  });
});
