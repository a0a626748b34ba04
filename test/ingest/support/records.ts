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

/** A seeded pseudo-random generator (mulberry32), so "random" failures repeat run after run. */
export function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
