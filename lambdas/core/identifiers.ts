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
 * A name a KPI request selects by: an event type, a metric or an attribute. 1 to 50 code points
 * that are not control, format, line/paragraph separator or unassigned characters. Names are
 * bound as SQL values, never spliced into SQL, so quotes and semicolons are allowed.
 */
export const NAME_PATTERN = /^[^\p{C}\p{Zl}\p{Zp}]{1,50}$/u;

/** The most code points {@link NAME_PATTERN} allows. */
export const MAX_NAME_CHARS = 50;

/** What {@link NAME_PATTERN} allows, in words for messages. */
export const NAME_RULE = `1 to ${MAX_NAME_CHARS} printable characters`;

export function isValidName(value: string): boolean {
  return NAME_PATTERN.test(value);
}
