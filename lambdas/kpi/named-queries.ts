import type { LakeWindow } from '../core/lake-window';
import { inlineParameters, sqlLiteral } from '../core/sql-literal';
import { KPI_DEFINITIONS, type KpiDefinition } from './kpi-definitions';
import { namedParameters } from './kpi-parameters';
import type { ParamName } from './sql/sql-text';

/**
 * Athena named queries, one per KPI, from the same definitions as the API: console users run
 * the very SQL the API runs and get the same numbers. Athena allows `?` parameters only in WHERE
 * clauses, so each saved query carries example values as literals (the same text the KPI API
 * sends for that request), and a comment at its top lists each value to edit before running it.
 */
export interface NamedQuery {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/** The example request the saved queries are written for. */
export const NAMED_QUERY_EXAMPLE = {
  appId: 'demo',
  startDate: '2026-01-01',
  endDate: '2026-01-31',
  timezone: 'America/Los_Angeles',
  lastCompleteDate: '2026-02-14',
  names: { eventName: 'level_complete', metric: 'score', attribute: 'level' },
};

function meaning(name: ParamName, definition: KpiDefinition): string {
  const { daysBefore, daysAfter } = definition.reads;
  switch (name) {
    case 'start_date':
      return 'first day';
    case 'end_date':
      return 'last day';
    case 'last_complete_date':
      return 'yesterday in the time zone';
    case 'timezone':
      return 'IANA time zone';
    case 'app_id':
      return 'app id';
    case 'first_dt':
      return `first UTC partition: start_date - ${daysBefore + 1}, not before the lake's first day`;
    case 'lake_start_date':
      return "the lake's first day";
    case 'last_dt':
      return `last UTC partition: end_date + ${daysAfter + 1}`;
    case 'event_name':
      return 'event type';
    case 'metric':
      return 'metric name';
    case 'attribute':
      return 'attribute name';
  }
}

function namedQuery(definition: KpiDefinition, lake: LakeWindow): NamedQuery {
  const params = namedParameters({ ...NAMED_QUERY_EXAMPLE, definition }, lake);
  const values = [...new Map(params.map((p) => [p.name, p.value])).entries()];
  const edits = values
    .filter(([name]) => name !== 'lake_start_date')
    .map(([name, value]) => `--   ${sqlLiteral(value)}  ${name} (${meaning(name, definition)})`);
  const lakeStart = values.some(([name]) => name === 'lake_start_date')
    ? [`-- It reads every day from the lake's first day, ${sqlLiteral(lake.startDate)} (keep that one).`]
    : [];
  const header = [
    `-- ${definition.summary}, per day of the time zone: ${definition.description}`,
    '-- Written for an example request. Before running, replace each literal below everywhere it',
    '-- appears (the dates keep the YYYY-MM-DD form):',
    ...edits,
    ...lakeStart,
  ].join('\n');
  const sql = inlineParameters(
    definition.sql.text,
    params.map((p) => p.value),
  );
  return {
    name: definition.path.slice(1),
    description: `${definition.summary}, per day of the time zone: ${definition.description} Edit the example values listed in the comment at the top of the query.`,
    sql: `${header}\n${sql}`,
  };
}

/** The saved queries for a lake: its first day is the deployed one, not an example to edit. */
export function namedQueries(lake: LakeWindow): NamedQuery[] {
  return KPI_DEFINITIONS.map((definition) => namedQuery(definition, lake));
}
