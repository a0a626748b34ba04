import type { EventRecord } from '../../core/event-record';
import { appIdAt } from './app-id';
import { streamCustomFields } from './custom-fields';
import { withDerivedAttributes } from './derived-attributes';
import { InvalidEventError, shown } from './invalid-event';
import { type JsonObject, onlyKnownKeys, optionalStringAt, requiredStringAt } from './json-fields';
import { localeFromCode } from './locale';
import { buildRecord } from './record-builder';
import { epochMsAt } from './timestamps';

const FIELDS = new Set([
  'application_key',
  'account_id',
  'event_type',
  'timestamp',
  'arrival_timestamp',
  'unique_id',
  'cognito_id',
  'cognito_identity_pool_id',
  'platform',
  'model',
  'platform_version',
  'make',
  'locale',
  'sdk_version',
  'sdk_name',
  'app_package_name',
  'app_version_name',
  'app_version_code',
  'user_agent',
  'app_title',
  'attributes',
  'metrics',
]);

function msFromDigits(text: string | undefined, path: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text))
    throw new InvalidEventError(`${path} is ${shown(text)}; expected ms since epoch as digits`);
  return epochMsAt(Number(text), path);
}

/**
 * A record in the legacy flat layout of Mobile Analytics exports (the example events of the Mobile Analytics User Guide, docs/CONTRACT.md §2c).
 * `_session.id` and `_session.startTime` become the session struct; `user_agent`, which has
 * no column, is kept as the `_user_agent` attribute; `_clientContext` stays an attribute.
 */
export function normaliseLegacyFlatRecord(record: JsonObject, arrivalTimestamp: number): EventRecord {
  onlyKnownKeys(record, FIELDS, 'the record');
  const custom = streamCustomFields(record.attributes, record.metrics, {
    attributes: 'attributes',
    metrics: 'metrics',
  });
  const { '_session.id': sessionId, '_session.startTime': startTime, ...attributes } = custom.attributes;
  const locale = optionalStringAt(record.locale, 'locale');
  const arrival = record.arrival_timestamp;
  return buildRecord({
    eventType: requiredStringAt(record.event_type, 'event_type'),
    eventTimestamp: epochMsAt(record.timestamp, 'timestamp'),
    arrivalTimestamp:
      arrival === undefined || arrival === null ? arrivalTimestamp : epochMsAt(arrival, 'arrival_timestamp'),
    appId: appIdAt(record.application_key, 'application_key'),
    cognitoIdentityPoolId: optionalStringAt(record.cognito_identity_pool_id, 'cognito_identity_pool_id'),
    packageName: optionalStringAt(record.app_package_name, 'app_package_name'),
    title: optionalStringAt(record.app_title, 'app_title'),
    versionName: optionalStringAt(record.app_version_name, 'app_version_name'),
    versionCode: optionalStringAt(record.app_version_code, 'app_version_code'),
    sdkName: optionalStringAt(record.sdk_name, 'sdk_name'),
    sdkVersion: optionalStringAt(record.sdk_version, 'sdk_version'),
    clientId: requiredStringAt(record.unique_id, 'unique_id'),
    cognitoId: optionalStringAt(record.cognito_id, 'cognito_id'),
    locale: locale === undefined ? undefined : localeFromCode(locale),
    make: optionalStringAt(record.make, 'make'),
    model: optionalStringAt(record.model, 'model'),
    platformName: optionalStringAt(record.platform, 'platform'),
    platformVersion: optionalStringAt(record.platform_version, 'platform_version'),
    sessionId,
    sessionStart: msFromDigits(startTime, 'attributes["_session.startTime"]'),
    attributes: withDerivedAttributes(attributes, [
      { key: '_user_agent', value: optionalStringAt(record.user_agent, 'user_agent'), from: 'user_agent' },
    ]),
    metrics: custom.metrics,
    awsAccountId: optionalStringAt(record.account_id, 'account_id'),
  });
}
