/**
 * The identifier rules shared by the ingest doors, the KPI API and the local commands, each
 * with its wording for error messages, so that every place states the same rule.
 */

/**
 * An app id. It is also a partition folder name (`app_id=<id>`), so it may hold no `/`, `=`,
 * space or control character.
 */
export const APP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** What {@link APP_ID_PATTERN} allows, in words for messages. */
export const APP_ID_RULE =
  '1 to 128 characters: letters, digits, "_", "." or "-", starting with a letter or digit';

export function isValidAppId(value: string): boolean {
  return APP_ID_PATTERN.test(value);
}

const APP_ID_SOURCE = APP_ID_PATTERN.source.slice(1, -1);

/** A list of app ids separated by commas, e.g. `game,game-beta` (a collector's allowlist). */
export const APP_ID_LIST_PATTERN = new RegExp(`^${APP_ID_SOURCE}(?:,${APP_ID_SOURCE})*$`);

/** What {@link APP_ID_LIST_PATTERN} allows, in words for messages. */
export const APP_ID_LIST_RULE = `app ids separated by commas, without spaces (an app id is ${APP_ID_RULE})`;

/** The app ids of a list that matches {@link APP_ID_LIST_PATTERN}, or undefined when it does not. */
export function parseAppIdList(text: string): ReadonlySet<string> | undefined {
  return APP_ID_LIST_PATTERN.test(text) ? new Set(text.split(',')) : undefined;
}

/**
 * The names events carry and KPI requests select by, one rule for both, so that every event the
 * doors store can be asked for by its names: an event type is any non-empty text (the doors
 * take any, as Pinpoint and Mobile Analytics did); a metric or attribute name is 1 to
 * {@link MAX_KEY_CHARS} characters (code points, so an emoji is one), the services' own limit.
 * Names are bound as SQL values, never spliced into SQL, so no character is refused.
 */
export const MAX_KEY_CHARS = 50;

/**
 * Characters as a person counts them (code points, so an emoji is one), to compare with
 * `limit`: a text of at most `limit` UTF-16 units has at most `limit` characters, so it is not
 * counted further.
 */
export function textChars(text: string, limit: number): number {
  return text.length <= limit ? text.length : [...text].length;
}

/** What an event type may be, in words for messages. */
export const EVENT_TYPE_RULE = 'at least 1 character';

/** What a metric or attribute name may be, in words for messages. */
export const KEY_RULE = `1 to ${MAX_KEY_CHARS} characters`;

export function isValidEventType(value: string): boolean {
  return value.length > 0;
}

export function isValidKey(value: string): boolean {
  const n = textChars(value, MAX_KEY_CHARS);
  return n > 0 && n <= MAX_KEY_CHARS;
}
