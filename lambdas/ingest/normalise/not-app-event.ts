import { isJsonObject } from './json-fields';

/**
 * The event-type prefixes of the records a Pinpoint event stream carries besides app events:
 * the delivery events of its messaging channels, as the Amazon Pinpoint Developer Guide lists
 * them ("Email events", "SMS events", "Campaign events", "Journey events" under "Streaming
 * Amazon Pinpoint events"). Their `client.client_id` is not a device (for SMS it is the AWS
 * account id), so stored as app events they would be counted as users.
 */
const MESSAGING_PREFIXES: readonly (readonly [prefix: string, channel: string])[] = [
  ['_email.', 'email'],
  ['_sms.', 'SMS'],
  ['_campaign.', 'campaign'],
  ['_journey.', 'journey'],
];

/** What a record that is not an app event is, for reports: its channel and event type. */
export interface NotAppEvent {
  /** `email`, `SMS`, `campaign`, `journey`, or `messaging` when only its shape tells. */
  readonly channel: string;
  /** Its `event_type`, or `(none)`. */
  readonly eventType: string;
}

/**
 * Tells a Pinpoint event-stream record that is not an app event (docs/CONTRACT.md §2c): an
 * e-mail, SMS, campaign or journey event, known by its `event_type` prefix, or by the members
 * only messaging records have (`facets` for e-mail, `client_context` for campaigns and
 * journeys). Undefined for anything else, which the normaliser then takes or rejects.
 */
export function notAppEvent(value: unknown): NotAppEvent | undefined {
  if (!isJsonObject(value)) return undefined;
  const type = typeof value.event_type === 'string' ? value.event_type : undefined;
  const lower = type?.toLowerCase();
  const known = MESSAGING_PREFIXES.find(([prefix]) => lower?.startsWith(prefix));
  if (known) return { channel: known[1], eventType: type ?? '(none)' };
  if (Object.hasOwn(value, 'facets') || Object.hasOwn(value, 'client_context')) {
    return { channel: 'messaging', eventType: type ?? '(none)' };
  }
  return undefined;
}

/** Why such a record is not stored, for a rejection or a report. */
export function notAppEventReason(record: NotAppEvent): string {
  return `a Pinpoint ${record.channel} event (${record.eventType}), not an app event: no KPI counts it`;
}
