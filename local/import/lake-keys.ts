import type { EventRecord } from '../../lambdas/core/event-record';
import type { QueryEngine } from '../../lambdas/core/query-engine';

/** One lake partition: `app_id` and `dt`. */
export interface PartitionRef {
  readonly appId: string;
  readonly dt: string;
}

/** The identity of an event (docs/CONTRACT.md §4): client id, event id, type and timestamp. */
export function eventKey(record: EventRecord): string {
  return keyOf(record.client.client_id, record.event_id, record.event_type, record.event_timestamp);
}

function keyOf(clientId: unknown, eventId: unknown, eventType: unknown, timestamp: unknown): string {
  return `${String(clientId)}\u0000${String(eventId)}\u0000${String(eventType)}\u0000${String(timestamp)}`;
}

/** At most this many days in one look-up, so the statement stays small. */
const DAYS_PER_QUERY = 200;

/**
 * The identities of the events the lake already holds in the given partitions, per partition
 * (`<app_id>/<dt>`), read through the lake's query engine: only the four key columns, and only
 * the partitions asked for (the engine prunes the others by their folder names).
 */
export async function existingKeys(
  engine: QueryEngine,
  partitions: readonly PartitionRef[],
): Promise<Map<string, Set<string>>> {
  const keys = new Map<string, Set<string>>(partitions.map((p) => [`${p.appId}/${p.dt}`, new Set()]));
  const daysByApp = new Map<string, string[]>();
  for (const p of partitions) daysByApp.set(p.appId, [...(daysByApp.get(p.appId) ?? []), p.dt]);
  for (const [appId, days] of daysByApp) {
    for (let i = 0; i < days.length; i += DAYS_PER_QUERY) {
      const slice = days.slice(i, i + DAYS_PER_QUERY);
      const { rows } = await engine.query(
        `SELECT dt, client.client_id AS client_id, event_id, event_type, event_timestamp
         FROM events WHERE app_id = ? AND dt IN (${slice.map(() => '?').join(', ')})`,
        [appId, ...slice],
      );
      for (const row of rows) {
        keys
          .get(`${appId}/${row.dt}`)
          ?.add(keyOf(row.client_id, row.event_id, row.event_type, row.event_timestamp));
      }
    }
  }
  return keys;
}
