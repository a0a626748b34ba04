import { isValidKey, KEY_RULE, textChars } from '../../core/identifiers';
import { InvalidEventError, shown } from './invalid-event';
import { entry, type JsonObject, optionalObjectAt } from './json-fields';
import { MAX_ATTRIBUTE_VALUE_CHARS, MAX_ATTRIBUTES_AND_METRICS } from './limits';

export interface CustomFields {
  readonly attributes: Record<string, string>;
  readonly metrics: Record<string, number>;
}

interface Paths {
  readonly attributes: string;
  readonly metrics: string;
}

function checkKey(parent: string, key: string): void {
  if (!isValidKey(key)) {
    throw new InvalidEventError(
      `${entry(parent, key)}: names must be ${KEY_RULE}, this one has ${[...key].length}`,
    );
  }
}

function finiteNumber(value: unknown, parent: string, key: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new InvalidEventError(`${entry(parent, key)} must be a finite number, got ${shown(value)}`);
}

function limitedText(value: unknown, parent: string, key: string): string {
  if (typeof value !== 'string')
    throw new InvalidEventError(`${entry(parent, key)} must be a string, got ${shown(value)}`);
  const n = textChars(value, MAX_ATTRIBUTE_VALUE_CHARS);
  if (n > MAX_ATTRIBUTE_VALUE_CHARS) {
    throw new InvalidEventError(
      `${entry(parent, key)} is ${n} characters long; values may have at most ${MAX_ATTRIBUTE_VALUE_CHARS}`,
    );
  }
  return value;
}

/**
 * Attributes and metrics of a PutEvents event, held to the API's limits: at most 40 of
 * them together, names of 1-50 characters, attribute values strings of at most 200
 * characters, metric values finite numbers.
 */
export function limitedCustomFields(attributes: unknown, metrics: unknown, paths: Paths): CustomFields {
  const attrs = Object.entries(optionalObjectAt(attributes, paths.attributes) ?? {});
  const mets = Object.entries(optionalObjectAt(metrics, paths.metrics) ?? {});
  if (attrs.length + mets.length > MAX_ATTRIBUTES_AND_METRICS) {
    throw new InvalidEventError(
      `the event has ${attrs.length + mets.length} attributes and metrics (${attrs.length} + ${mets.length}); at most ${MAX_ATTRIBUTES_AND_METRICS} are allowed`,
    );
  }
  for (const [key, value] of attrs) {
    checkKey(paths.attributes, key);
    limitedText(value, paths.attributes, key);
  }
  for (const [key, value] of mets) {
    checkKey(paths.metrics, key);
    finiteNumber(value, paths.metrics, key);
  }
  return {
    attributes: Object.fromEntries(attrs) as Record<string, string>,
    metrics: Object.fromEntries(mets) as Record<string, number>,
  };
}

function attributeText(value: unknown, parent: string, key: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
    return String(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  throw new InvalidEventError(
    `${entry(parent, key)} must be a string (or a number, boolean or object, kept as text), got ${shown(value)}`,
  );
}

/**
 * Attributes and metrics of a stream record. Its producer (Pinpoint, Mobile Analytics, an
 * app writing to Firehose) already applied its own limits, so none are applied here; a
 * non-string attribute value is kept as its text (objects as JSON), since the column is
 * map<string,string>.
 */
export function streamCustomFields(attributes: unknown, metrics: unknown, paths: Paths): CustomFields {
  return {
    attributes: mapValues(optionalObjectAt(attributes, paths.attributes), (v, k) =>
      attributeText(v, paths.attributes, k),
    ),
    metrics: mapValues(optionalObjectAt(metrics, paths.metrics), (v, k) => finiteNumber(v, paths.metrics, k)),
  };
}

/** A copy of a map with each value converted; a `__proto__` key stays a plain entry. */
function mapValues<T>(
  map: JsonObject | undefined,
  convert: (value: unknown, key: string) => T,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key in map) {
    const value = convert(map[key], key);
    if (key === '__proto__')
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    else out[key] = value;
  }
  return out;
}
