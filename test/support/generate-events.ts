import { EVENT_VERSION, type EventRecord } from '../../lambdas/core/event-record';
import { seededRandom } from '../../lambdas/core/seeded-random';
import { DAY_MS, HOUR_MS } from '../../lambdas/core/time';

/**
 * Seeded random event sets for the KPI tests and the local-mode end-to-end tests. The same
 * seed gives the same events. Besides ordinary sessions, purchases and custom events, the
 * sets carry the cases KPIs get wrong: exact duplicates (at-least-once delivery), event ids
 * reused by every client ("1", "2", ...), events at and just around local midnight in several
 * time zones, purchases without a price, custom events without the metric, attribute
 * values that are not numbers, clients whose first event is not a session start (an
 * `app_installed` event days before their first session, or no session at all), which the
 * lifetime count includes from that day and new users do not, clients that reuse event ids
 * ("1", "2"... again in every session, so an id alone does not make an event), and
 * `_endpoint.update` records (some of clients that never send an event), which no KPI counts.
 */

export interface EventFields {
  readonly appId: string;
  readonly clientId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly timestamp: number;
  readonly sessionId?: string;
  readonly attributes?: Record<string, string>;
  readonly metrics?: Record<string, number>;
}

/** One event record as the ingest doors produce it. */
export function eventRecord(fields: EventFields): EventRecord {
  return {
    event_id: fields.eventId,
    event_type: fields.eventType,
    event_timestamp: fields.timestamp,
    arrival_timestamp: fields.timestamp + 1500,
    event_version: EVENT_VERSION,
    application: { app_id: fields.appId, title: 'Example', sdk: { name: 'aws-sdk-js', version: '3.0.0' } },
    client: { client_id: fields.clientId },
    device: { platform: { name: 'android', version: '14' } },
    session: { session_id: fields.sessionId ?? `${fields.clientId}-s`, start_timestamp: fields.timestamp },
    attributes: fields.attributes ?? {},
    metrics: fields.metrics ?? {},
  };
}

const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time of an instant in a time zone, as if that time were UTC. */
function wallClock(instant: number, timeZone: string): number {
  let format = wallClockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    wallClockFormats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
}

/** The instant of local midnight starting `day` (YYYY-MM-DD) in a time zone. */
export function localMidnight(day: string, timeZone: string): number {
  const target = Date.parse(`${day}T00:00:00Z`);
  let guess = target;
  for (let i = 0; i < 3; i++) guess += target - wallClock(guess, timeZone);
  return guess;
}

export interface GenerateOptions {
  readonly seed: number;
  readonly appId: string;
  /** First and last UTC day with events (clients start on random days in between). */
  readonly from: string;
  readonly to: string;
  readonly clients: number;
  /** Zones whose local midnights get extra events at, just before and just after them. */
  readonly midnightZones?: readonly string[];
  /** UTC days left without any event. */
  readonly emptyDays?: readonly string[];
}

const ATTRIBUTE_VALUES = [
  '3',
  '12.5',
  '-2',
  '1e2',
  '0.25',
  'abc',
  '',
  ' 7',
  '7 ',
  '1,5',
  'NaN',
  '0x10',
  '+4',
];

export function generateEvents(options: GenerateOptions): EventRecord[] {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const first = Date.parse(`${options.from}T00:00:00Z`);
  const dayCount = (Date.parse(`${options.to}T00:00:00Z`) - first) / DAY_MS + 1;
  const zones = options.midnightZones ?? [];
  const midnightsOf = (d: number) =>
    zones.map((zone) => localMidnight(new Date(first + d * DAY_MS).toISOString().slice(0, 10), zone));
  const events: EventRecord[] = [];

  for (let c = 0; c < options.clients; c++) {
    const clientId = `client-${c}`;
    let eventCounter = 0;
    const push = (eventType: string, timestamp: number, extra: Partial<EventFields> = {}) => {
      eventCounter += 1;
      const record = eventRecord({
        appId: options.appId,
        clientId,
        eventId: String(eventCounter),
        eventType,
        timestamp,
        ...extra,
      });
      events.push(record);
      if (random() < 0.05) events.push({ ...record, arrival_timestamp: record.arrival_timestamp + 60_000 });
    };
    const startDay = Math.floor(random() * dayCount);
    const activity = 0.15 + random() * 0.5;
    const reusesIds = random() < 0.1;
    const endpointOnly = random() < 0.05;
    if (endpointOnly || random() < 0.3) {
      push('_endpoint.update', first + startDay * DAY_MS + Math.floor(random() * DAY_MS));
    }
    if (endpointOnly) continue;
    const neverStarts = random() < 0.08;
    if (neverStarts || random() < 0.2) {
      const day = startDay - 1 - Math.floor(random() * 3);
      push('app_installed', first + day * DAY_MS + Math.floor(random() * DAY_MS));
    }
    if (neverStarts) continue;
    for (let d = startDay; d < dayCount; d++) {
      if (random() > activity) continue;
      const sessions = 1 + Math.floor(random() * 2);
      for (let s = 0; s < sessions; s++) {
        const nearMidnight = zones.length > 0 && random() < 0.15;
        const start = nearMidnight
          ? pick(midnightsOf(d)) + pick([-60_000, -1, 0, 1, 60_000])
          : first + d * DAY_MS + Math.floor(random() * (DAY_MS - HOUR_MS));
        const sessionId = `${clientId}-${d}-${s}`;
        if (reusesIds) eventCounter = 0;
        push('_session.start', start, { sessionId });
        for (let e = Math.floor(random() * 3); e > 0; e--) {
          push('level_complete', start + e * 1000, {
            sessionId,
            metrics: random() < 0.8 ? { score: Math.round(random() * 100_000) / 100 } : {},
            attributes: random() < 0.9 ? { level: pick(ATTRIBUTE_VALUES) } : {},
          });
        }
        if (random() < 0.12) {
          push('_monetization.purchase', start + 5000, {
            sessionId,
            metrics:
              random() < 0.9
                ? { _item_price: Math.round(random() * 5000) / 100, _quantity: 1 }
                : { _quantity: 1 },
            attributes: { _currency: 'USD', _product_id: pick(['gems', 'coins', 'pass']) },
          });
        }
        push('_session.stop', start + 30_000, { sessionId });
      }
    }
  }
  const empty = new Set(options.emptyDays ?? []);
  return events.filter((e) => !empty.has(new Date(e.event_timestamp).toISOString().slice(0, 10)));
}
