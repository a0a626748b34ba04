import { BadRequestError } from '../../core/errors';
import type { EventRecord } from '../../core/event-record';
import type { ClientContext } from './client-context';
import { limitedCustomFields } from './custom-fields';
import { withDerivedAttributes } from './derived-attributes';
import { checkRecordSize } from './encode-record';
import { GeneratedEventIds } from './event-id';
import { InvalidEventError, shown } from './invalid-event';
import { isJsonObject, objectAt, onlyKnownKeys, optionalObjectAt, requiredStringAt } from './json-fields';
import { localeFromCode } from './locale';
import { buildRecord } from './record-builder';
import { isoTimestampAt, type LakeArrival, optionalDurationAt, withinLake } from './timestamps';

const EVENT_FIELDS = new Set(['eventType', 'timestamp', 'version', 'session', 'attributes', 'metrics']);
const SESSION_FIELDS = new Set(['id', 'startTimestamp', 'stopTimestamp', 'duration']);
const AWS_SDK_PRODUCT = /(?:^|\s)(aws-sdk-[\w.-]+)\/(\S+)/;

export interface MobileAnalyticsContext extends LakeArrival {
  readonly clientContext: ClientContext;
  /** The request's User-Agent header. */
  readonly userAgent?: string;
}

function normaliseEvent(
  value: unknown,
  context: MobileAnalyticsContext,
  ids: GeneratedEventIds,
): EventRecord {
  const event = objectAt(value, 'the event');
  onlyKnownKeys(event, EVENT_FIELDS, 'the event');
  if (event.version !== undefined && event.version !== null && event.version !== 'v2.0') {
    throw new InvalidEventError(`version is ${shown(event.version)}; it must be "v2.0" (or left out)`);
  }
  const session = optionalObjectAt(event.session, 'session');
  if (session) onlyKnownKeys(session, SESSION_FIELDS, 'session');
  const stop = session?.stopTimestamp;
  const duration = optionalDurationAt(session?.duration, 'session.duration');
  const custom = limitedCustomFields(event.attributes, event.metrics, {
    attributes: 'attributes',
    metrics: 'metrics',
  });
  const cc = context.clientContext;
  const sdk = cc.sdkName === undefined ? AWS_SDK_PRODUCT.exec(context.userAgent ?? '') : null;
  return checkRecordSize(
    buildRecord(
      {
        eventType: requiredStringAt(event.eventType, 'eventType'),
        eventTimestamp: withinLake(isoTimestampAt(event.timestamp, 'timestamp'), 'timestamp', context),
        arrivalTimestamp: context.arrivalTimestamp,
        appId: cc.appId,
        packageName: cc.appPackageName,
        title: cc.appTitle,
        versionName: cc.appVersionName,
        versionCode: cc.appVersionCode,
        sdkName: cc.sdkName ?? sdk?.[1],
        sdkVersion: cc.sdkName === undefined ? sdk?.[2] : cc.sdkVersion,
        clientId: cc.clientId,
        locale: cc.locale === undefined ? undefined : localeFromCode(cc.locale),
        make: cc.make,
        model: cc.model,
        platformName: cc.platform,
        platformVersion: cc.platformVersion,
        sessionId: session ? requiredStringAt(session.id, 'session.id') : undefined,
        sessionStart: session ? isoTimestampAt(session.startTimestamp, 'session.startTimestamp') : undefined,
        sessionStop:
          stop === undefined || stop === null ? undefined : isoTimestampAt(stop, 'session.stopTimestamp'),
        attributes: withDerivedAttributes(custom.attributes, [
          { key: '_session.duration', value: duration?.toString(), from: 'session.duration' },
          { key: '_clientContext', value: cc.text, from: 'the x-amz-client-context header' },
          { key: '_user_agent', value: context.userAgent, from: 'the User-Agent header' },
        ]),
        metrics: custom.metrics,
      },
      ids,
    ),
  );
}

/**
 * A Mobile Analytics PutEvents payload (docs/CONTRACT.md §2b) as §1 records. The API has no
 * per-event results, so one invalid event makes the whole request a 400 naming it; nothing
 * is stored then. Like Mobile Analytics, each record keeps the client context (`_clientContext`)
 * and the User-Agent (`_user_agent`) as attributes; the SDK name and version come from the
 * client context, else from an `aws-sdk-*` product in the User-Agent. The request carries no
 * event ids: each event gets a generated one (event-id.ts).
 */
export function normaliseMobileAnalyticsEvents(
  body: unknown,
  context: MobileAnalyticsContext,
): EventRecord[] {
  if (!isJsonObject(body) || !Array.isArray(body.events)) {
    throw new BadRequestError(
      'The payload must be a JSON object {"events": [...]} holding one or more events',
    );
  }
  const extra = Object.keys(body).find((key) => key !== 'events');
  if (extra !== undefined) {
    throw new BadRequestError(
      `The payload has unknown field ${JSON.stringify(extra)}; it holds only "events"`,
    );
  }
  if (body.events.length === 0) throw new BadRequestError('The payload has no events; send one or more');
  const ids = new GeneratedEventIds();
  return body.events.map((event: unknown, index: number) => {
    try {
      return normaliseEvent(event, context, ids);
    } catch (err) {
      if (err instanceof InvalidEventError) throw new BadRequestError(`events[${index}]: ${err.message}`);
      throw err;
    }
  });
}
