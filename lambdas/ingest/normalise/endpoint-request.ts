import { BadRequestError } from '../../core/errors';
import { ENDPOINT_UPDATE_EVENT_TYPE, type EventRecord } from '../../core/event-record';
import { checkRecordSize } from './encode-record';
import { GeneratedEventIds } from './event-id';
import { InvalidEventError, shown } from './invalid-event';
import {
  entry,
  type JsonObject,
  objectAt,
  onlyKnownKeys,
  optionalStringAt,
  requiredStringAt,
} from './json-fields';
import { MAX_ENDPOINTS_PER_BATCH } from './limits';
import { readEndpoint } from './pinpoint-endpoint';
import { buildRecord } from './record-builder';
import { isoTimestampAt, type LakeArrival, withinLake } from './timestamps';

/** A member of a shape of the Pinpoint API model: a scalar, a map, the ChannelType enum or a structure. */
type Member = 'string' | 'double' | 'map of string lists' | 'map of doubles' | 'channel type' | Structure;
interface Structure {
  readonly [name: string]: Member;
}

const CHANNEL_TYPES: ReadonlySet<string> = new Set([
  'PUSH',
  'GCM',
  'APNS',
  'APNS_SANDBOX',
  'APNS_VOIP',
  'APNS_VOIP_SANDBOX',
  'ADM',
  'SMS',
  'VOICE',
  'EMAIL',
  'BAIDU',
  'CUSTOM',
  'IN_APP',
]);

/** The Pinpoint API model's EndpointRequest (2016-12-01), member by member. */
const ENDPOINT_REQUEST: Structure = {
  Address: 'string',
  Attributes: 'map of string lists',
  ChannelType: 'channel type',
  Demographic: {
    AppVersion: 'string',
    Locale: 'string',
    Make: 'string',
    Model: 'string',
    ModelVersion: 'string',
    Platform: 'string',
    PlatformVersion: 'string',
    Timezone: 'string',
  },
  EffectiveDate: 'string',
  EndpointStatus: 'string',
  Location: {
    City: 'string',
    Country: 'string',
    Latitude: 'double',
    Longitude: 'double',
    PostalCode: 'string',
    Region: 'string',
  },
  Metrics: 'map of doubles',
  OptOut: 'string',
  RequestId: 'string',
  User: { UserAttributes: 'map of string lists', UserId: 'string' },
};

/** An EndpointBatchItem is an EndpointRequest with its `Id`. */
const ENDPOINT_BATCH_ITEM: Structure = { ...ENDPOINT_REQUEST, Id: 'string' };

function finiteNumber(value: unknown, path: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new InvalidEventError(`${path} must be a finite number, got ${shown(value)}`);
}

function stringList(value: unknown, path: string): void {
  if (!Array.isArray(value))
    throw new InvalidEventError(`${path} must be a list of strings, got ${shown(value)}`);
  value.forEach((item, i) => {
    if (typeof item !== 'string')
      throw new InvalidEventError(`${path}[${i}] must be a string, got ${shown(item)}`);
  });
}

/** Holds a value to its member of the model; JSON null counts as absent, as in the AWS JSON protocols. */
function check(value: unknown, member: Member, path: string): void {
  if (value === undefined || value === null) return;
  if (member === 'string') optionalStringAt(value, path);
  else if (member === 'double') finiteNumber(value, path);
  else if (member === 'channel type') {
    if (typeof value !== 'string' || !CHANNEL_TYPES.has(value))
      throw new InvalidEventError(
        `${path} is ${shown(value)}; it is one of ${[...CHANNEL_TYPES].join(', ')}`,
      );
  } else if (member === 'map of doubles') {
    for (const [key, item] of Object.entries(objectAt(value, path))) finiteNumber(item, entry(path, key));
  } else if (member === 'map of string lists') {
    for (const [key, item] of Object.entries(objectAt(value, path))) stringList(item, entry(path, key));
  } else {
    const object = objectAt(value, path);
    onlyKnownKeys(object, new Set(Object.keys(member)), path);
    for (const [key, item] of Object.entries(object)) check(item, member[key] as Member, `${path}.${key}`);
  }
}

/** A top-level structure: its members are named without a prefix (`Demographic.Locale`). */
function checkTopLevel(value: JsonObject, shape: Structure, label: string): void {
  onlyKnownKeys(value, new Set(Object.keys(shape)), label);
  for (const [key, item] of Object.entries(value)) check(item, shape[key] as Member, key);
}

export interface EndpointContext extends LakeArrival {
  readonly appId: string;
}

/**
 * One endpoint as its `_endpoint.update` record (docs/CONTRACT.md §1, §2d): `client_id` is the
 * endpoint id, `endpoint` the profile as sent, the device and app version from its
 * Demographic, `event_timestamp` its EffectiveDate, else the arrival time; either must be
 * within the lake (`lambdas/core/lake-window.ts`), else an InvalidEventError naming it.
 */
function endpointRecord(
  endpointId: string,
  endpoint: JsonObject,
  effectiveDatePath: string,
  context: EndpointContext,
  ids: GeneratedEventIds,
): EventRecord {
  const effective = endpoint.EffectiveDate;
  return checkRecordSize(
    buildRecord(
      {
        ...readEndpoint(endpointId, endpoint),
        eventType: ENDPOINT_UPDATE_EVENT_TYPE,
        eventTimestamp:
          effective === undefined || effective === null
            ? withinLake(context.arrivalTimestamp, `the arrival time (no ${effectiveDatePath})`, context)
            : withinLake(isoTimestampAt(effective, effectiveDatePath), effectiveDatePath, context),
        arrivalTimestamp: context.arrivalTimestamp,
        appId: context.appId,
        attributes: {},
        metrics: {},
      },
      ids,
    ),
  );
}

function asBadRequest(shape: string, err: unknown): unknown {
  return err instanceof InvalidEventError
    ? new BadRequestError(`Not a Pinpoint ${shape}: ${err.message}`)
    : err;
}

/**
 * The body of Pinpoint UpdateEndpoint (an EndpointRequest) for the endpoint id of the path, as
 * its record. The body is held to the API model's shape: a member the model does not define,
 * or one of the wrong type, is a {@link BadRequestError} naming it.
 */
export function normaliseEndpointRequest(
  endpointId: string,
  body: unknown,
  context: EndpointContext,
): EventRecord {
  try {
    if (endpointId === '') throw new InvalidEventError('the endpoint id in the path must not be empty');
    const endpoint = objectAt(body, 'the body');
    checkTopLevel(endpoint, ENDPOINT_REQUEST, 'the body (the EndpointRequest itself)');
    return endpointRecord(endpointId, endpoint, 'EffectiveDate', context, new GeneratedEventIds());
  } catch (err) {
    throw asBadRequest('EndpointRequest', err);
  }
}

/**
 * The body of Pinpoint UpdateEndpointsBatch (`{"Item": [EndpointBatchItem, ...]}`, at most 100
 * items, each with its `Id`) as one record per item. All or nothing: the operation has no
 * per-item results, so one invalid item makes the request a {@link BadRequestError} naming it.
 */
export function normaliseEndpointBatchRequest(body: unknown, context: EndpointContext): EventRecord[] {
  try {
    const request = objectAt(body, 'the body');
    onlyKnownKeys(request, new Set(['Item']), 'the body (the EndpointBatchRequest itself, {"Item": [...]})');
    const items = request.Item;
    if (!Array.isArray(items))
      throw new InvalidEventError(`Item is required: a list of endpoints, got ${shown(items)}`);
    if (items.length > MAX_ENDPOINTS_PER_BATCH) {
      throw new InvalidEventError(
        `Item has ${items.length} endpoints; at most ${MAX_ENDPOINTS_PER_BATCH} are allowed per request`,
      );
    }
    const ids = new GeneratedEventIds();
    return items.map((value: unknown, index: number) => {
      const path = `Item[${index}]`;
      check(value, ENDPOINT_BATCH_ITEM, path);
      const item = objectAt(value, path);
      const id = requiredStringAt(item.Id, `${path}.Id`);
      return endpointRecord(id, item, `${path}.EffectiveDate`, context, ids);
    });
  } catch (err) {
    throw asBadRequest('EndpointBatchRequest', err);
  }
}
