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

/** JSON with every object's keys in code-unit order and undefined members left out. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    const members = Object.keys(object)
      .filter((key) => object[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(object[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * What makes an event the event it is (docs/CONTRACT.md §1), as one canonical text: app id,
 * client id, event type, event time, session, attributes (without the request's own, see
 * above), metrics and endpoint. Arrival time, event version and the application and device
 * structs are left out: a retry may carry different ones for the same event.
 */
export function eventContent(record: UnidentifiedRecord): string {
  const attributes: Record<string, string> = {};
  for (const key of Object.keys(record.attributes)) {
    if (REQUEST_ATTRIBUTES.has(key)) continue;
    Object.defineProperty(attributes, key, { value: record.attributes[key], enumerable: true });
  }
  return canonicalJson({
    app_id: record.application.app_id,
    client_id: record.client.client_id,
    event_type: record.event_type,
    event_timestamp: record.event_timestamp,
    session: record.session,
    attributes,
    metrics: record.metrics,
    endpoint: record.endpoint,
  });
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
