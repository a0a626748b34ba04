import type { LakeWindow } from '../core/lake-window';
import type { QueryEngine, Row } from '../core/query-engine';
import { planParameters } from './kpi-parameters';
import type { KpiRange } from './kpi-source';
import { EVENT_CATALOGUE_PLAN } from './sql/event-catalogue-sql';

/** One event type of an app, with the metric and attribute names its events carry. */
export interface EventType {
  readonly name: string;
  readonly metrics: readonly string[];
  readonly attributes: readonly string[];
}

export interface EventCatalogue {
  /** By name; names and their lists in code-point order. */
  readonly events: readonly EventType[];
  /** Bytes the engine read, where it reports them. */
  readonly bytesScanned?: number;
  /** True when the engine answered from a cached result. */
  readonly cached?: boolean;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new TypeError(`Expected ${column} as text, got ${typeof value}`);
  return value;
}

/**
 * The event types an app sent in a range of local days (`GET /apps/{appId}/events`,
 * docs/CONTRACT.md §3), each with the metric and attribute names of its events: what a caller
 * can ask `/events/{eventName}/...` about. Runs one SQL text on either engine, and like every
 * KPI read never reads a `dt` before the lake's first day.
 */
export async function eventCatalogue(
  engine: QueryEngine,
  lake: LakeWindow,
  range: KpiRange,
): Promise<EventCatalogue> {
  const params = planParameters(EVENT_CATALOGUE_PLAN, range, lake, 'the event catalogue').map((p) => p.value);
  const result = await engine.query(EVENT_CATALOGUE_PLAN.sql.text, params);
  const types = new Map<string, { metrics: string[]; attributes: string[] }>();
  const typeOf = (name: string) => {
    let entry = types.get(name);
    if (!entry) {
      entry = { metrics: [], attributes: [] };
      types.set(name, entry);
    }
    return entry;
  };
  for (const row of result.rows) {
    const entry = typeOf(text(row, 'event_type'));
    const kind = text(row, 'kind');
    if (kind === 'metric') entry.metrics.push(text(row, 'name'));
    else if (kind === 'attribute') entry.attributes.push(text(row, 'name'));
  }
  return {
    events: [...types.keys()].sort(byCodePoint).map((name) => {
      const { metrics, attributes } = typeOf(name);
      return { name, metrics: metrics.sort(byCodePoint), attributes: attributes.sort(byCodePoint) };
    }),
    ...(result.bytesScanned === undefined ? {} : { bytesScanned: result.bytesScanned }),
    ...(result.reusedResult === undefined ? {} : { cached: result.reusedResult }),
  };
}
