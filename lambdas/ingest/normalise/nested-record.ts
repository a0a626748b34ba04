import type { EventRecord } from '../../core/event-record';
import { appIdAt } from './app-id';
import { streamCustomFields } from './custom-fields';
import { InvalidEventError, shown } from './invalid-event';
import {
  type JsonObject,
  objectAt,
  onlyKnownKeys,
  optionalObjectAt,
  optionalStringAt,
  requiredStringAt,
} from './json-fields';
import { buildRecord, defined } from './record-builder';
import { epochMsAt } from './timestamps';

const FIELDS = new Set([
  'event_id',
  'event_type',
  'event_timestamp',
  'arrival_timestamp',
  'event_version',
  'application',
  'client',
  'device',
  'session',
  'attributes',
  'metrics',
  'endpoint',
  'awsAccountId',
]);
const APPLICATION = new Set([
  'app_id',
  'cognito_identity_pool_id',
  'package_name',
  'title',
  'version_name',
  'version_code',
  'sdk',
]);
const NAME_VERSION = new Set(['name', 'version']);
const CLIENT = new Set(['client_id', 'cognito_id']);
const DEVICE = new Set(['locale', 'make', 'model', 'platform']);
const LOCALE = new Set(['code', 'country', 'language']);
const SESSION = new Set(['session_id', 'start_timestamp', 'stop_timestamp']);

/** A struct member that may be absent; unknown fields in it are rejected. */
function struct(value: unknown, allowed: ReadonlySet<string>, path: string): JsonObject | undefined {
  const object = optionalObjectAt(value, path);
  if (object) onlyKnownKeys(object, allowed, path);
  return object;
}

function optionalMs(value: unknown, path: string): number | undefined {
  return value === undefined || value === null ? undefined : epochMsAt(value, path);
}

/** The endpoint column is JSON text: an object is stringified, text is kept as given. */
function endpointText(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === 'string') return value ?? undefined;
  if (typeof value === 'object') return JSON.stringify(value);
  throw new InvalidEventError(`endpoint must be a JSON object (or its JSON text), got ${shown(value)}`);
}

function locale(device: JsonObject | undefined): EventRecord['device']['locale'] {
  const value = struct(device?.locale, LOCALE, 'device.locale');
  if (!value) return undefined;
  return defined({
    code: optionalStringAt(value.code, 'device.locale.code'),
    country: optionalStringAt(value.country, 'device.locale.country'),
    language: optionalStringAt(value.language, 'device.locale.language'),
  });
}

/**
 * A record in the Pinpoint event-stream layout for app events (event_version 3.0 or 3.1),
 * which is also the §1 record itself: a §1 record comes back unchanged. A missing event_id
 * is derived (event-id.ts), a missing arrival_timestamp is the given one; timestamps may be
 * ms numbers or ISO 8601 text. Fields outside the layout are rejected, not dropped.
 */
export function normaliseNestedRecord(record: JsonObject, arrivalTimestamp: number): EventRecord {
  onlyKnownKeys(record, FIELDS, 'the record');
  optionalStringAt(record.event_version, 'event_version');
  const application = objectAt(record.application, 'application');
  onlyKnownKeys(application, APPLICATION, 'application');
  const sdk = struct(application.sdk, NAME_VERSION, 'application.sdk');
  const client = objectAt(record.client, 'client');
  onlyKnownKeys(client, CLIENT, 'client');
  const device = struct(record.device, DEVICE, 'device');
  const platform = struct(device?.platform, NAME_VERSION, 'device.platform');
  const session = struct(record.session, SESSION, 'session');
  const custom = streamCustomFields(record.attributes, record.metrics, {
    attributes: 'attributes',
    metrics: 'metrics',
  });
  return buildRecord({
    eventId:
      record.event_id === undefined || record.event_id === null
        ? undefined
        : requiredStringAt(record.event_id, 'event_id'),
    eventType: requiredStringAt(record.event_type, 'event_type'),
    eventTimestamp: epochMsAt(record.event_timestamp, 'event_timestamp'),
    arrivalTimestamp: optionalMs(record.arrival_timestamp, 'arrival_timestamp') ?? arrivalTimestamp,
    appId: appIdAt(application.app_id, 'application.app_id'),
    cognitoIdentityPoolId: optionalStringAt(
      application.cognito_identity_pool_id,
      'application.cognito_identity_pool_id',
    ),
    packageName: optionalStringAt(application.package_name, 'application.package_name'),
    title: optionalStringAt(application.title, 'application.title'),
    versionName: optionalStringAt(application.version_name, 'application.version_name'),
    versionCode: optionalStringAt(application.version_code, 'application.version_code'),
    sdkName: optionalStringAt(sdk?.name, 'application.sdk.name'),
    sdkVersion: optionalStringAt(sdk?.version, 'application.sdk.version'),
    clientId: requiredStringAt(client.client_id, 'client.client_id'),
    cognitoId: optionalStringAt(client.cognito_id, 'client.cognito_id'),
    locale: locale(device),
    make: optionalStringAt(device?.make, 'device.make'),
    model: optionalStringAt(device?.model, 'device.model'),
    platformName: optionalStringAt(platform?.name, 'device.platform.name'),
    platformVersion: optionalStringAt(platform?.version, 'device.platform.version'),
    sessionId: optionalStringAt(session?.session_id, 'session.session_id'),
    sessionStart: optionalMs(session?.start_timestamp, 'session.start_timestamp'),
    sessionStop: optionalMs(session?.stop_timestamp, 'session.stop_timestamp'),
    attributes: custom.attributes,
    metrics: custom.metrics,
    endpoint: endpointText(record.endpoint),
    awsAccountId: optionalStringAt(record.awsAccountId, 'awsAccountId'),
  });
}
