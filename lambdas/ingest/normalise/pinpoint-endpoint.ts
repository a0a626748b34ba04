import type { EventRecord } from '../../core/event-record';
import { InvalidEventError } from './invalid-event';
import { type JsonObject, optionalObjectAt, optionalStringAt } from './json-fields';
import { localeFromCode } from './locale';

/** What one endpoint of a Pinpoint EventsRequest gives each of its events. */
export interface EndpointFields {
  readonly clientId: string;
  /** The whole Endpoint as JSON text (its shape is open-ended; the column is a string). */
  readonly endpoint?: string;
  readonly versionName?: string;
  readonly locale?: EventRecord['device']['locale'];
  readonly make?: string;
  readonly model?: string;
  readonly platformName?: string;
  readonly platformVersion?: string;
}

/**
 * Reads the endpoint of a batch item: its id is the events' `client_id`, its Demographic
 * fills the device and the app version name. Everything else (Address, Location, User, ...)
 * stays in the endpoint JSON that every event carries.
 */
export function readEndpoint(endpointId: string, endpoint: JsonObject | undefined): EndpointFields {
  if (endpointId === '')
    throw new InvalidEventError('the endpoint id (the key in BatchItem) must not be empty');
  const demographic = optionalObjectAt(endpoint?.Demographic, 'Endpoint.Demographic') ?? {};
  const locale = optionalStringAt(demographic.Locale, 'Endpoint.Demographic.Locale');
  return {
    clientId: endpointId,
    endpoint: endpoint === undefined ? undefined : JSON.stringify(endpoint),
    versionName: optionalStringAt(demographic.AppVersion, 'Endpoint.Demographic.AppVersion'),
    locale: locale === undefined ? undefined : localeFromCode(locale),
    make: optionalStringAt(demographic.Make, 'Endpoint.Demographic.Make'),
    model: optionalStringAt(demographic.Model, 'Endpoint.Demographic.Model'),
    platformName: optionalStringAt(demographic.Platform, 'Endpoint.Demographic.Platform'),
    platformVersion: optionalStringAt(demographic.PlatformVersion, 'Endpoint.Demographic.PlatformVersion'),
  };
}
