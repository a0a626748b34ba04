import type { EventRecord } from '../../../lambdas/core/event-record';

/** A small valid record, numbered so every one is distinct; `padding` makes it bigger. */
export function sampleRecord(n: number, padding = 0): EventRecord {
  return {
    event_id: `event-${n}`,
    event_type: n % 2 ? 'level_complete' : '_session.start',
    event_timestamp: 1767225600000 + n,
    arrival_timestamp: 1767225601000,
    event_version: '3.1',
    application: { app_id: 'app-1', title: 'Game' },
    client: { client_id: `client-${n % 7}` },
    device: { platform: { name: 'android' } },
    session: { session_id: `session-${n % 5}` },
    attributes: { level: String(n) },
    metrics: { score: n * 1.5 },
    ...(padding > 0 ? { endpoint: JSON.stringify({ Address: 'x'.repeat(padding) }) } : {}),
  };
}
