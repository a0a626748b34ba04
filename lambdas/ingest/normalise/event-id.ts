import { createHash } from 'node:crypto';
import type { EventRecord } from '../../core/event-record';

/** A record before it has its id. */
export type UnidentifiedRecord = Omit<EventRecord, 'event_id'>;

/**
 * Attributes a door copies from the request's headers (the Mobile Analytics client context and
 * User-Agent). They describe the sender at the time of sending, not the event: an SDK that
 * re-sends a stored batch after an app or OS update sends new headers with the same events, so
 * they are left out of the identity.
 */
const REQUEST_ATTRIBUTES: ReadonlySet<string> = new Set(['_clientContext', '_user_agent']);

/** A map's entries in code-unit order of their keys, leaving out the keys in `skip`. */
function sortedEntries(
  map: Readonly<Record<string, unknown>>,
  skip?: ReadonlySet<string>,
): [string, unknown][] {
  const entries: [string, unknown][] = [];
  for (const key of Object.keys(map).sort()) if (!skip?.has(key)) entries.push([key, map[key]]);
  return entries;
}

/**
 * What makes an event the event it is (docs/CONTRACT.md §1), as one canonical JSON text: app id,
 * client id, event type, event time, session, endpoint, then the attributes (without the
 * request's own, see above) and the metrics as entries sorted by key. Arrival time, event version
 * and the application and device structs are left out: a retry may carry different ones for the
 * same event.
 */
export function eventContent(record: UnidentifiedRecord): string {
  const { session } = record;
  return JSON.stringify([
    record.application.app_id,
    record.client.client_id,
    record.event_type,
    record.event_timestamp,
    session.session_id ?? null,
    session.start_timestamp ?? null,
    session.stop_timestamp ?? null,
    record.endpoint ?? null,
    sortedEntries(record.attributes, REQUEST_ATTRIBUTES),
    sortedEntries(record.metrics),
  ]);
}

/**
 * The generated event ids of one request (docs/CONTRACT.md §1, ADR 008): each id is a hash of the
 * event's content and of its position among the events of identical content that came before it
 * in the same request. A retried request (the same events in the same order) gets the same ids;
 * two different events in one millisecond, or two identical ones sent in one request, get
 * different ids. 32 hex characters (128 bits of SHA-256).
 */
export class GeneratedEventIds {
  private readonly seen = new Map<string, number>();

  /** The id of the request's next event without a client id. */
  next(record: UnidentifiedRecord): string {
    const content = eventContent(record);
    const position = this.seen.get(content) ?? 0;
    this.seen.set(content, position + 1);
    return createHash('sha256').update(`${position}\n${content}`).digest('hex').slice(0, 32);
  }
}
