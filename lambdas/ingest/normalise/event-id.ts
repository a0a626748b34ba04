import { createHash } from 'node:crypto';

export interface EventIdentity {
  readonly appId: string;
  readonly clientId: string;
  readonly eventType: string;
  readonly eventTimestamp: number;
  readonly sessionId?: string;
}

/**
 * The event id of an event whose request carries none (docs/CONTRACT.md §1): a hash of what makes
 * the occurrence, so a retried request yields the same id and the KPIs count it once.
 * 32 hex characters (128 bits of SHA-256).
 */
export function deterministicEventId(identity: EventIdentity): string {
  const key = JSON.stringify([
    identity.appId,
    identity.clientId,
    identity.eventType,
    identity.eventTimestamp,
    identity.sessionId ?? null,
  ]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
