import type { EventRecord } from '../../../lambdas/core/event-record';

/** An HTTP request to one of the ingest doors, runtime-neutral. */
export interface DoorRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function byClient(records: readonly EventRecord[]): Map<string, EventRecord[]> {
  const clients = new Map<string, EventRecord[]>();
  for (const r of records) {
    const list = clients.get(r.client.client_id) ?? [];
    list.push(r);
    clients.set(r.client.client_id, list);
  }
  return clients;
}

/**
 * Pinpoint PutEvents requests (docs/CONTRACT.md §2a) carrying the records: one endpoint (the client) per
 * request, up to 100 events each, keyed by the record's event id. Records must have distinct
 * (client, event id) pairs, as keys of one Events map.
 */
export function pinpointRequests(appId: string, records: readonly EventRecord[]): DoorRequest[] {
  const requests: DoorRequest[] = [];
  for (const [clientId, events] of byClient(records)) {
    for (const batch of chunks(events, 100)) {
      const Events = Object.fromEntries(
        batch.map((r) => [
          r.event_id,
          {
            EventType: r.event_type,
            Timestamp: iso(r.event_timestamp),
            Session: {
              Id: r.session.session_id,
              StartTimestamp: iso(r.session.start_timestamp ?? r.event_timestamp),
            },
            Attributes: r.attributes,
            Metrics: r.metrics,
          },
        ]),
      );
      const Endpoint = { Demographic: { Platform: 'android', Locale: 'en_US' } };
      requests.push({
        path: `/v1/apps/${appId}/events`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ BatchItem: { [clientId]: { Endpoint, Events } } }),
      });
    }
  }
  return requests;
}

/** The `x-amz-client-context` header of a Mobile Analytics client, JSON or base64-encoded JSON. */
export function clientContext(appId: string, clientId: string, base64 = false): string {
  const json = JSON.stringify({
    client: { client_id: clientId, app_title: 'E2E' },
    env: { platform: 'iOS', model: 'iPhone', make: 'apple', locale: 'en_US' },
    services: { mobile_analytics: { app_id: appId } },
  });
  return base64 ? Buffer.from(json).toString('base64') : json;
}

/**
 * Mobile Analytics PutEvents requests (docs/CONTRACT.md §2b) carrying the records, per client, up to 100
 * events each; every other request sends its client context base64-encoded.
 */
export function mobileAnalyticsRequests(appId: string, records: readonly EventRecord[]): DoorRequest[] {
  const requests: DoorRequest[] = [];
  for (const [clientId, events] of byClient(records)) {
    for (const batch of chunks(events, 100)) {
      requests.push({
        path: '/2014-06-05/events',
        headers: {
          'content-type': 'application/json',
          'x-amz-client-context': clientContext(appId, clientId, requests.length % 2 === 1),
        },
        body: JSON.stringify({
          events: batch.map((r) => ({
            eventType: r.event_type,
            timestamp: iso(r.event_timestamp),
            session: {
              id: r.session.session_id,
              startTimestamp: iso(r.session.start_timestamp ?? r.event_timestamp),
            },
            version: 'v2.0',
            attributes: r.attributes,
            metrics: r.metrics,
          })),
        }),
      });
    }
  }
  return requests;
}
