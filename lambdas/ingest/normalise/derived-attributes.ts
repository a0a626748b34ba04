import { InvalidEventError, shown } from './invalid-event';

/** An attribute a door derives, and the field it comes from (named in messages). */
export interface DerivedAttribute {
  readonly key: string;
  readonly value: string | undefined;
  readonly from: string;
}

/**
 * Adds attributes that a door derives from fields without a column of their own (for
 * example `_session.duration` from Pinpoint's `Session.Duration`). A client attribute of the
 * same name and value is fine; a different value is rejected rather than one of them lost.
 */
export function withDerivedAttributes(
  attributes: Readonly<Record<string, string>>,
  derived: readonly DerivedAttribute[],
): Record<string, string> {
  const out: Record<string, string> = { ...attributes };
  for (const { key, value, from } of derived) {
    if (value === undefined) continue;
    const given = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
    if (given !== undefined && given !== value) {
      throw new InvalidEventError(
        `attribute ${JSON.stringify(key)} is ${shown(given)} but ${from} gives ${shown(value)}; send one, or make them agree`,
      );
    }
    out[key] = value;
  }
  return out;
}
