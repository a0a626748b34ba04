import { BadRequestError } from '../../core/errors';
import type { EventRecord } from '../../core/event-record';
import { InvalidEventError } from './invalid-event';
import { entry, type JsonObject, objectAt, onlyKnownKeys, optionalObjectAt } from './json-fields';
import { MAX_EVENTS_PER_REQUEST } from './limits';
import { type EndpointFields, readEndpoint } from './pinpoint-endpoint';
import { normalisePinpointEvent, type PinpointEventContext } from './pinpoint-event';

export interface PinpointEventOutcome {
  readonly eventId: string;
  /** The record, when the event is valid. */
  readonly record?: EventRecord;
  /** Why the event is not valid (its result is then 400). */
  readonly error?: string;
}

export interface PinpointEndpointOutcome {
  readonly endpointId: string;
  /** Why the endpoint is not valid; all its events then fail with it. */
  readonly error?: string;
  readonly events: readonly PinpointEventOutcome[];
}

interface BatchItem {
  readonly endpointId: string;
  readonly endpoint?: JsonObject;
  readonly events: JsonObject;
}

/** The request's shape; anything else makes the whole request a 400. */
function batchItems(body: unknown): BatchItem[] {
  try {
    const request = objectAt(body, 'the body');
    onlyKnownKeys(
      request,
      new Set(['BatchItem']),
      'the body (the EventsRequest itself, {"BatchItem": {...}})',
    );
    return Object.entries(objectAt(request.BatchItem, 'BatchItem')).map(([endpointId, value]) => {
      const path = entry('BatchItem', endpointId);
      const item = objectAt(value, path);
      onlyKnownKeys(item, new Set(['Endpoint', 'Events']), path);
      const endpoint = optionalObjectAt(item.Endpoint, `${path}.Endpoint`);
      return { endpointId, endpoint, events: objectAt(item.Events, `${path}.Events`) };
    });
  } catch (err) {
    if (err instanceof InvalidEventError)
      throw new BadRequestError(`Not a Pinpoint EventsRequest: ${err.message}`);
    throw err;
  }
}

function endpointFields(item: BatchItem): EndpointFields {
  if (Object.keys(item.events).length === 0) {
    throw new InvalidEventError(
      'the endpoint has no events; this service stores events (each keeps its endpoint)',
    );
  }
  return readEndpoint(item.endpointId, item.endpoint);
}

function normaliseItem(item: BatchItem, context: PinpointEventContext): PinpointEndpointOutcome {
  let endpoint: EndpointFields;
  try {
    endpoint = endpointFields(item);
  } catch (err) {
    if (!(err instanceof InvalidEventError)) throw err;
    const error = err.message;
    const events = Object.keys(item.events).map((eventId) => ({ eventId, error: `endpoint: ${error}` }));
    return { endpointId: item.endpointId, error, events };
  }
  const events = Object.entries(item.events).map(([eventId, value]): PinpointEventOutcome => {
    try {
      return { eventId, record: normalisePinpointEvent(eventId, value, endpoint, context) };
    } catch (err) {
      if (err instanceof InvalidEventError) return { eventId, error: err.message };
      throw err;
    }
  });
  return { endpointId: item.endpointId, events };
}

/**
 * A Pinpoint PutEvents body (docs/CONTRACT.md §2a) as per-endpoint, per-event outcomes. A body that
 * is not an EventsRequest, or holds more than 100 events, is rejected as a whole
 * ({@link BadRequestError}); an invalid endpoint or event fails alone. `{"BatchItem": {}}` (an
 * empty flush, as Amplify sends) has no outcomes.
 */
export function normalisePinpointEvents(
  body: unknown,
  context: PinpointEventContext,
): PinpointEndpointOutcome[] {
  const items = batchItems(body);
  const count = items.reduce((n, item) => n + Object.keys(item.events).length, 0);
  if (count > MAX_EVENTS_PER_REQUEST) {
    throw new BadRequestError(
      `The request has ${count} events; at most ${MAX_EVENTS_PER_REQUEST} are allowed per request`,
    );
  }
  return items.map((item) => normaliseItem(item, context));
}
