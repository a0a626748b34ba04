import type { EventRecord } from '../../lambdas/core/event-record';

/**
 * An independent, deliberately plain reference for every KPI of docs/CONTRACT.md §3/§4, computed in
 * TypeScript over raw event records with loops and Sets (local days via Intl). It shares no
 * code with the SQL, so the KPI tests compare two separate readings of the spec.
 */
export interface ReferenceRequest {
  readonly appId: string;
  /** KPI path below /apps/{appId}, as in docs/CONTRACT.md §3, e.g. `/kpis/dau/count` or `/events/{eventName}/count`. */
  readonly path: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly timezone: string;
  /** Yesterday in the time zone: retention windows ending later are null. */
  readonly lastCompleteDate: string;
  readonly eventName?: string;
  readonly metric?: string;
  readonly attribute?: string;
}

export interface ReferenceValue {
  readonly date: string;
  readonly value: number | null;
}

const SESSION_START = '_session.start';
const PURCHASE = '_monetization.purchase';
const NUMERIC = /^-?\d{1,30}(\.\d{1,30})?([eE][-+]?\d{1,2})?$/;

function addDays(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

function localDayFormatter(timeZone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (ms) => {
    const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
    return `${parts.year}-${parts.month}-${parts.day}`;
  };
}

interface LocalEvent {
  readonly record: EventRecord;
  readonly client: string;
  readonly day: string;
}

/** Local days are the slow part (Intl), so they are worked out once per event set and zone. */
const localDayCache = new WeakMap<readonly EventRecord[], Map<string, LocalEvent[]>>();

function localEvents(records: readonly EventRecord[], timeZone: string): LocalEvent[] {
  const byZone = localDayCache.get(records) ?? new Map<string, LocalEvent[]>();
  localDayCache.set(records, byZone);
  let events = byZone.get(timeZone);
  if (!events) {
    const dayOf = localDayFormatter(timeZone);
    events = records.map((record) => ({
      record,
      client: record.client.client_id,
      day: dayOf(record.event_timestamp),
    }));
    byZone.set(timeZone, events);
  }
  return events;
}

class Reference {
  private readonly events: LocalEvent[];

  constructor(
    records: readonly EventRecord[],
    private readonly request: ReferenceRequest,
  ) {
    // Endpoint profiles (`_endpoint.*` records) are no event of any KPI, lifetime users included.
    this.events = localEvents(records, request.timezone).filter(
      (e) => e.record.application.app_id === request.appId && !e.record.event_type.startsWith('_endpoint.'),
    );
  }

  private readonly active = new Map<string, Set<string>>();

  /** A(day): clients with a _session.start event on the day. */
  activeOn(day: string): Set<string> {
    let clients = this.active.get(day);
    if (!clients) {
      clients = new Set<string>();
      for (const e of this.events) {
        if (e.record.event_type === SESSION_START && e.day === day) clients.add(e.client);
      }
      this.active.set(day, clients);
    }
    return clients;
  }

  activeBetween(first: string, last: string): Set<string> {
    const clients = new Set<string>();
    for (let day = first; day <= last; day = addDays(day, 1))
      for (const c of this.activeOn(day)) clients.add(c);
    return clients;
  }

  /** Each client's earliest local day over the events that pass the filter. */
  firstDays(filter: (e: LocalEvent) => boolean): Map<string, string> {
    const first = new Map<string, string>();
    for (const e of this.events) {
      if (!filter(e)) continue;
      const known = first.get(e.client);
      if (known === undefined || e.day < known) first.set(e.client, e.day);
    }
    return first;
  }

  /** Distinct events (client, id, type, timestamp) of a type on a day, each with the values its records carry. */
  distinctEvents(
    type: string,
    day: string,
    value: (r: EventRecord) => number | undefined,
  ): Map<string, number[]> {
    const pairs = new Map<string, number[]>();
    for (const e of this.events) {
      if (e.record.event_type !== type || e.day !== day) continue;
      const key = JSON.stringify([
        e.client,
        e.record.event_id,
        e.record.event_type,
        e.record.event_timestamp,
      ]);
      const values = pairs.get(key) ?? [];
      const v = value(e.record);
      if (v !== undefined) values.push(v);
      pairs.set(key, values);
    }
    return pairs;
  }

  /** The aggregate over distinct events (an event's value: the largest its duplicates carry). */
  aggregate(
    type: string,
    day: string,
    value: (r: EventRecord) => number | undefined,
    how: string,
  ): number | null {
    const values: number[] = [];
    for (const v of this.distinctEvents(type, day, value).values())
      if (v.length > 0) values.push(Math.max(...v));
    if (values.length === 0) return null;
    const sum = values.reduce((a, b) => a + b, 0);
    if (how === 'sum') return sum;
    if (how === 'min') return Math.min(...values);
    if (how === 'max') return Math.max(...values);
    return sum / values.length;
  }

  retention(day: string, from: number, to: number): number | null {
    if (addDays(day, to) > this.request.lastCompleteDate) return null;
    const later = this.activeBetween(addDays(day, from), addDays(day, to));
    return [...this.activeOn(day)].filter((c) => later.has(c)).length;
  }

  valueOn(day: string): number | null {
    const { path, eventName = '', metric = '', attribute = '' } = this.request;
    const retention = /^\/kpis\/(day|week)-(\d)-retention\/count$/.exec(path);
    if (retention) {
      const n = Number(retention[2]);
      return retention[1] === 'day' ? this.retention(day, n, n) : this.retention(day, 7 * n - 6, 7 * n);
    }
    const aggregate = /^\/events\/\{eventName\}\/(metrics|attributes)\/\{\w+\}\/(sum|min|max|avg)$/.exec(
      path,
    );
    if (aggregate?.[1] === 'metrics') {
      return this.aggregate(
        eventName,
        day,
        (r) => (Object.hasOwn(r.metrics, metric) ? r.metrics[metric] : undefined),
        aggregate[2] ?? '',
      );
    }
    if (aggregate?.[1] === 'attributes') {
      const numeric = (r: EventRecord) => {
        const text = Object.hasOwn(r.attributes, attribute) ? r.attributes[attribute] : undefined;
        return text !== undefined && NUMERIC.test(text) ? Number(text) : undefined;
      };
      return this.aggregate(eventName, day, numeric, aggregate[2] ?? '');
    }
    switch (path) {
      case '/kpis/new-users/lifetime-count':
        return [...this.firstDays(() => true).values()].filter((first) => first <= day).length;
      case '/kpis/dau/count':
        return this.activeOn(day).size;
      case '/kpis/mau/count':
        return this.activeBetween(addDays(day, -29), day).size;
      case '/kpis/new-users/count':
        return [...this.firstDays((e) => e.record.event_type === SESSION_START).values()].filter(
          (f) => f === day,
        ).length;
      case '/kpis/sessions/count':
        return this.distinctEvents(SESSION_START, day, () => undefined).size;
      case '/kpis/daily-revenue/sum':
        return this.aggregate(PURCHASE, day, (r) => r.metrics._item_price, 'sum') ?? 0;
      case '/kpis/pdau/count':
      case '/kpis/pmau/count': {
        const firstPurchase = this.firstDays((e) => e.record.event_type === PURCHASE);
        const active =
          path === '/kpis/pdau/count' ? this.activeOn(day) : this.activeBetween(addDays(day, -29), day);
        return [...active].filter((c) => (firstPurchase.get(c) ?? '9999-99-99') <= day).length;
      }
      case '/events/{eventName}/count':
        return this.distinctEvents(eventName, day, () => undefined).size;
      default:
        throw new Error(`The reference has no definition for ${path}`);
    }
  }
}

/** The KPI's value for every day of the request, in order. */
export function referenceKpi(records: readonly EventRecord[], request: ReferenceRequest): ReferenceValue[] {
  const reference = new Reference(records, request);
  const values: ReferenceValue[] = [];
  for (let day = request.startDate; day <= request.endDate; day = addDays(day, 1)) {
    values.push({ date: day, value: reference.valueOn(day) });
  }
  return values;
}

export interface ReferenceEventType {
  readonly name: string;
  readonly metrics: readonly string[];
  readonly attributes: readonly string[];
}

/**
 * The event types of an app with an event on a local day of the range (`_endpoint.*` records
 * are not events), each with every metric and attribute name its events in the range carry.
 */
export function referenceEventCatalogue(
  records: readonly EventRecord[],
  request: Pick<ReferenceRequest, 'appId' | 'startDate' | 'endDate' | 'timezone'>,
): ReferenceEventType[] {
  const types = new Map<string, { metrics: Set<string>; attributes: Set<string> }>();
  for (const e of localEvents(records, request.timezone)) {
    const { record, day } = e;
    if (record.application.app_id !== request.appId || record.event_type.startsWith('_endpoint.')) continue;
    if (day < request.startDate || day > request.endDate) continue;
    const entry = types.get(record.event_type) ?? {
      metrics: new Set<string>(),
      attributes: new Set<string>(),
    };
    for (const name of Object.keys(record.metrics)) entry.metrics.add(name);
    for (const name of Object.keys(record.attributes)) entry.attributes.add(name);
    types.set(record.event_type, entry);
  }
  return [...types.keys()].sort().map((name) => {
    const entry = types.get(name);
    return {
      name,
      metrics: [...(entry?.metrics ?? [])].sort(),
      attributes: [...(entry?.attributes ?? [])].sort(),
    };
  });
}
