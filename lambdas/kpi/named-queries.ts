import { sqlLiteral } from '../core/sql-literal';
import { KPI_DEFINITIONS, type KpiDefinition } from './kpi-definitions';
import { namedParameters } from './kpi-parameters';
import type { ParamName } from './sql/sql-text';

/**
 * Athena named queries, one per KPI, from the same definitions as the API: console users run
 * the very SQL the API runs and get the same numbers. Each keeps its `?` placeholders; the
 * description lists the values to enter, in order, as literals with an example.
 */
export interface NamedQuery {
  readonly name: string;
  readonly description: string;
  readonly sql: string;
}

/** The example request the descriptions' examples are computed from. */
const EXAMPLE = {
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
      return `first UTC partition: start_date - ${daysBefore + 1}`;
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

function describe(definition: KpiDefinition): string {
  const params = namedParameters({ ...EXAMPLE, definition })
    .map((p, i) => `${i + 1}) ${p.name} (${meaning(p.name, definition)}) e.g. ${sqlLiteral(p.value)}`)
    .join('; ');
  return `${definition.summary}, per day of the time zone: ${definition.description} Parameters, in order: ${params}.`;
}

export function namedQueries(): NamedQuery[] {
  return KPI_DEFINITIONS.map((definition) => ({
    name: definition.path.slice(1),
    description: describe(definition),
    sql: definition.sql.text,
  }));
}
