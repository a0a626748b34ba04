import { InvalidEventError, shown } from './invalid-event';

/** A parsed JSON object (not null, not an array). */
export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The path of a map entry: `Attributes["_session.id"]`. */
export function entry(parent: string, key: string): string {
  return `${parent}[${JSON.stringify(key)}]`;
}

export function objectAt(value: unknown, path: string): JsonObject {
  if (isJsonObject(value)) return value;
  throw new InvalidEventError(`${path} must be a JSON object, got ${shown(value)}`);
}

/** An optional object member; JSON null counts as absent, as in the AWS JSON protocols. */
export function optionalObjectAt(value: unknown, path: string): JsonObject | undefined {
  return value === undefined || value === null ? undefined : objectAt(value, path);
}

export function requiredStringAt(value: unknown, path: string): string {
  if (typeof value === 'string' && value.length > 0) return value;
  if (value === undefined || value === null)
    throw new InvalidEventError(`${path} is required (a non-empty string)`);
  throw new InvalidEventError(`${path} must be a non-empty string, got ${shown(value)}`);
}

/** An optional string member; null counts as absent, an empty string is kept as given. */
export function optionalStringAt(value: unknown, path: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  throw new InvalidEventError(`${path} must be a string, got ${shown(value)}`);
}

/**
 * Rejects members the format does not define: a misspelt field would otherwise be dropped
 * without anyone noticing. `label` names the object in the message (`event`, `Session`).
 */
export function onlyKnownKeys(value: JsonObject, allowed: ReadonlySet<string>, label: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) {
      throw new InvalidEventError(
        `${label} has unknown field ${JSON.stringify(key)}; allowed: ${[...allowed].join(', ')}`,
      );
    }
  }
}
