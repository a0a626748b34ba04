import { AppError } from '../../core/errors';

/**
 * One event or stream record cannot be normalised. The message names the field, shows
 * what was given and says what is allowed, so that the sender can fix it.
 */
export class InvalidEventError extends AppError {}

const SHOWN_CHARS = 40;

/** A short rendering of a given value for a message; long strings are cut and their length told. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value !== 'string') return String(value);
  if (value.length <= SHOWN_CHARS) return JSON.stringify(value);
  return `${JSON.stringify(`${value.slice(0, SHOWN_CHARS)}…`)} (${value.length} characters)`;
}
