import type { EventRecord } from '../../core/event-record';
import { limitedCustomFields } from './custom-fields';
import { withDerivedAttributes } from './derived-attributes';
import { checkRecordSize } from './encode-record';
import { InvalidEventError } from './invalid-event';
import { objectAt, onlyKnownKeys, optionalObjectAt, optionalStringAt, requiredStringAt } from './json-fields';
import type { EndpointFields } from './pinpoint-endpoint';
import { buildRecord } from './record-builder';
import { isoTimestampAt, type LakeArrival, optionalDurationAt, withinLake } from './timestamps';

const EVENT_FIELDS = new Set([
  'AppPackageName',
  'AppTitle',
  'AppVersionCode',
  'Attributes',
  'ClientSdkVersion',
  'EventType',
  'Metrics',
  'SdkName',
  'Session',
  'Timestamp',
]);
const SESSION_FIELDS = new Set(['Duration', 'Id', 'StartTimestamp', 'StopTimestamp']);

export interface PinpointEventContext extends LakeArrival {
  readonly appId: string;
}

/**
 * One event of a Pinpoint EventsRequest as a §1 record. `Session.Duration` has no column and
 * is kept as the `_session.duration` attribute, as Mobile Analytics recorded it.
 */
export function normalisePinpointEvent(
  eventId: string,
  value: unknown,
  endpoint: EndpointFields,
  context: PinpointEventContext,
): EventRecord {
  if (eventId === '') throw new InvalidEventError('the event id (the key in Events) must not be empty');
  const event = objectAt(value, 'the event');
  onlyKnownKeys(event, EVENT_FIELDS, 'the event');
  const session = optionalObjectAt(event.Session, 'Session');
  if (session) onlyKnownKeys(session, SESSION_FIELDS, 'Session');
  const stop = session?.StopTimestamp;
  const duration = optionalDurationAt(session?.Duration, 'Session.Duration');
  const custom = limitedCustomFields(event.Attributes, event.Metrics, {
    attributes: 'Attributes',
    metrics: 'Metrics',
  });
  return checkRecordSize(
    buildRecord({
      clientId: endpoint.clientId,
      endpoint: endpoint.endpoint,
      versionName: endpoint.versionName,
      locale: endpoint.locale,
      make: endpoint.make,
      model: endpoint.model,
      platformName: endpoint.platformName,
      platformVersion: endpoint.platformVersion,
      eventId,
      eventType: requiredStringAt(event.EventType, 'EventType'),
      eventTimestamp: withinLake(isoTimestampAt(event.Timestamp, 'Timestamp'), 'Timestamp', context),
      arrivalTimestamp: context.arrivalTimestamp,
      appId: context.appId,
      packageName: optionalStringAt(event.AppPackageName, 'AppPackageName'),
      title: optionalStringAt(event.AppTitle, 'AppTitle'),
      versionCode: optionalStringAt(event.AppVersionCode, 'AppVersionCode'),
      sdkName: optionalStringAt(event.SdkName, 'SdkName'),
      sdkVersion: optionalStringAt(event.ClientSdkVersion, 'ClientSdkVersion'),
      sessionId: session ? requiredStringAt(session.Id, 'Session.Id') : undefined,
      sessionStart: session ? isoTimestampAt(session.StartTimestamp, 'Session.StartTimestamp') : undefined,
      sessionStop:
        stop === undefined || stop === null ? undefined : isoTimestampAt(stop, 'Session.StopTimestamp'),
      attributes: withDerivedAttributes(custom.attributes, [
        { key: '_session.duration', value: duration?.toString(), from: 'Session.Duration' },
      ]),
      metrics: custom.metrics,
    }),
  );
}
