import { activeClientsFormula } from './sql/activity-sql';
import { type Aggregate, aggregateFormula, eventCountFormula } from './sql/event-values-sql';
import { lifetimeUsersFormula, newUsersFormula } from './sql/first-seen-sql';
import type { KpiFormula } from './sql/kpi-sql';
import { retentionFormula } from './sql/retention-sql';
import { PURCHASE, SESSION_START } from './sql/source-plan';
import { param, sql } from './sql/sql-text';

/**
 * Every KPI of docs/CONTRACT.md §3, once: its path (below `/apps/{appId}`), what its value means, and
 * the formula that computes it on either engine, from rollups or raw events (`sql/kpi-sql.ts`
 * renders it for the planner's choice of sources). The HTTP routes, the OpenAPI document and the
 * Athena named queries are all generated from this list.
 */
export interface KpiDefinition {
  /** Path below `/apps/{appId}`, with `{name}` path parameters, e.g. `/events/{eventName}/count`. */
  readonly path: string;
  readonly summary: string;
  /** The value for day d, as docs/CONTRACT.md §3 defines it. */
  readonly description: string;
  readonly valueType: 'integer' | 'number';
  /** When a day's value is null; absent when it never is (days without data are 0). */
  readonly nullWhen?: string;
  readonly formula: KpiFormula;
}

function define(
  path: string,
  summary: string,
  description: string,
  formula: KpiFormula,
  value: Pick<KpiDefinition, 'valueType' | 'nullWhen'> = { valueType: 'integer' },
): KpiDefinition {
  return { path, summary, description, ...value, formula };
}

const RETENTION_NULL = 'the comparison window ends after yesterday (in the requested time zone)';

const dayRetention = (n: number) =>
  define(
    `/kpis/day-${n}-retention/count`,
    `Day ${n} retention`,
    `|A(d) ∩ A(d+${n})|: clients active on d who are active again ${n} day(s) later.`,
    retentionFormula(n, n),
    { valueType: 'integer', nullWhen: RETENTION_NULL },
  );

const weekRetention = (n: number) =>
  define(
    `/kpis/week-${n}-retention/count`,
    `Week ${n} retention`,
    `|A(d) ∩ (A(d+${7 * n - 6}) ∪ ... ∪ A(d+${7 * n}))|: clients active on d who are active again in week ${n} after d.`,
    retentionFormula(7 * n - 6, 7 * n),
    { valueType: 'integer', nullWhen: RETENTION_NULL },
  );

const AGGREGATES: readonly Aggregate[] = ['sum', 'min', 'max', 'avg'];
const EVENT_NAME = sql`${param('event_name')}`;

const metricAggregate = (aggregate: Aggregate) =>
  define(
    `/events/{eventName}/metrics/{metric}/${aggregate}`,
    `Custom event metric ${aggregate}`,
    `${aggregate} of metrics[metric] over the distinct events of type eventName on d; events without the metric are left out.`,
    aggregateFormula({
      eventType: EVENT_NAME,
      source: { map: 'metrics', key: sql`${param('metric')}` },
      aggregate,
      emptyDay: 'null',
    }),
    { valueType: 'number', nullWhen: 'no event of the day has the metric' },
  );

const attributeAggregate = (aggregate: Aggregate) =>
  define(
    `/events/{eventName}/attributes/{attribute}/${aggregate}`,
    `Custom event attribute ${aggregate}`,
    `${aggregate} of the numeric values of attributes[attribute] over the distinct events of type eventName on d; other values are ignored.`,
    aggregateFormula({
      eventType: EVENT_NAME,
      source: { map: 'attributes', key: sql`${param('attribute')}` },
      aggregate,
      emptyDay: 'null',
    }),
    { valueType: 'number', nullWhen: 'no event of the day has a numeric value for the attribute' },
  );

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  define(
    '/kpis/new-users/lifetime-count',
    'Lifetime user count',
    'Distinct client_id over all events with event day <= d.',
    lifetimeUsersFormula(),
  ),
  define(
    '/kpis/dau/count',
    'Daily active users (DAU)',
    '|A(d)|: distinct client_id with a _session.start event on d.',
    activeClientsFormula(1, false),
  ),
  define(
    '/kpis/mau/count',
    'Monthly active users (MAU)',
    '|A(d-29) ∪ ... ∪ A(d)|: distinct client_id with a _session.start event in the 30 days ending on d.',
    activeClientsFormula(30, false),
  ),
  define(
    '/kpis/new-users/count',
    'New users',
    '|{c : first(c) = d}|: clients whose earliest _session.start event in all data is on d.',
    newUsersFormula(),
  ),
  define(
    '/kpis/sessions/count',
    'Session count',
    'Number of distinct _session.start events on d.',
    eventCountFormula(SESSION_START),
  ),
  define(
    '/kpis/daily-revenue/sum',
    'Daily revenue',
    "Sum of metrics['_item_price'] over the distinct _monetization.purchase events on d (0 without purchases).",
    aggregateFormula({
      eventType: PURCHASE,
      source: { map: 'metrics', key: sql`'_item_price'` },
      aggregate: 'sum',
      emptyDay: 'zero',
    }),
    { valueType: 'number' },
  ),
  define(
    '/kpis/pdau/count',
    'Paying daily active users (PDAU)',
    '|A(d) ∩ P(d)|: clients active on d with a _monetization.purchase event on or before d.',
    activeClientsFormula(1, true),
  ),
  define(
    '/kpis/pmau/count',
    'Paying monthly active users (PMAU)',
    '|(A(d-29) ∪ ... ∪ A(d)) ∩ P(d)|: clients active in the 30 days ending on d with a purchase on or before d.',
    activeClientsFormula(30, true),
  ),
  ...[1, 3, 5, 7].map(dayRetention),
  ...[1, 2, 3].map(weekRetention),
  define(
    '/events/{eventName}/count',
    'Custom event count',
    'Number of distinct events of type eventName on d.',
    eventCountFormula(EVENT_NAME),
  ),
  ...AGGREGATES.map(metricAggregate),
  ...AGGREGATES.map(attributeAggregate),
];
