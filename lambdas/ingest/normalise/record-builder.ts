import { EVENT_VERSION, type EventRecord } from '../../core/event-record';
import { GeneratedEventIds, type UnidentifiedRecord } from './event-id';

/** Everything a door knows about one event, flat; {@link buildRecord} shapes it into the §1 record. */
export interface RecordFields {
  /** The client's event id; absent: generated (see event-id.ts). */
  readonly eventId?: string;
  readonly eventType: string;
  readonly eventTimestamp: number;
  readonly arrivalTimestamp: number;
  readonly appId: string;
  readonly cognitoIdentityPoolId?: string;
  readonly packageName?: string;
  readonly title?: string;
  readonly versionName?: string;
  readonly versionCode?: string;
  readonly sdkName?: string;
  readonly sdkVersion?: string;
  readonly clientId: string;
  readonly cognitoId?: string;
  readonly locale?: EventRecord['device']['locale'];
  readonly make?: string;
  readonly model?: string;
  readonly platformName?: string;
  readonly platformVersion?: string;
  readonly sessionId?: string;
  readonly sessionStart?: number;
  readonly sessionStop?: number;
  readonly attributes: Record<string, string>;
  readonly metrics: Record<string, number>;
  /** The Pinpoint endpoint as JSON text. */
  readonly endpoint?: string;
  readonly awsAccountId?: string;
}

/** The object without its undefined members (JSON leaves them out anyway; this keeps deep equality honest). */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}

/** The struct, or undefined when it has no member at all. */
function nonEmpty<T extends object>(value: T): T | undefined {
  const kept = defined(value);
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * The §1 record, with its members always in the same order, so that encoding a record
 * twice gives the same bytes and normalising a normalised record gives it back unchanged.
 * Without a client event id, the id comes from `ids`, the generator of the request the event
 * came in (one per request, so that identical events of a request get different ids); a
 * record that is a request of its own (a stream record) needs none.
 */
export function buildRecord(f: RecordFields, ids: GeneratedEventIds = new GeneratedEventIds()): EventRecord {
  const record = defined<UnidentifiedRecord>({
    event_type: f.eventType,
    event_timestamp: f.eventTimestamp,
    arrival_timestamp: f.arrivalTimestamp,
    event_version: EVENT_VERSION,
    application: defined({
      app_id: f.appId,
      cognito_identity_pool_id: f.cognitoIdentityPoolId,
      package_name: f.packageName,
      title: f.title,
      version_name: f.versionName,
      version_code: f.versionCode,
      sdk: nonEmpty({ name: f.sdkName, version: f.sdkVersion }),
    }),
    client: defined({ client_id: f.clientId, cognito_id: f.cognitoId }),
    device: defined({
      locale: f.locale,
      make: f.make,
      model: f.model,
      platform: nonEmpty({ name: f.platformName, version: f.platformVersion }),
    }),
    session: defined({
      session_id: f.sessionId,
      start_timestamp: f.sessionStart,
      stop_timestamp: f.sessionStop,
    }),
    attributes: f.attributes,
    metrics: f.metrics,
    endpoint: f.endpoint,
    awsAccountId: f.awsAccountId,
  });
  return { event_id: f.eventId ?? ids.next(record), ...record };
}
