import type { EventRecord } from '../../core/event-record';

type Locale = NonNullable<EventRecord['device']['locale']>;

const LANGUAGE = /^[A-Za-z]{2,3}$/;
const COUNTRY = /^(?:[A-Za-z]{2}|\d{3})$/;

/**
 * The record's locale struct from a locale code as devices send it (`en_US`, `en-US`,
 * `zh_Hans_CN`, `de`): the code as given, its language, and its country when it names one,
 * as the Pinpoint event stream fills them.
 */
export function localeFromCode(code: string): Locale {
  const parts = code.split(/[-_]/);
  const language = parts[0] !== undefined && LANGUAGE.test(parts[0]) ? parts[0] : undefined;
  const last = parts[parts.length - 1];
  const country = parts.length > 1 && last !== undefined && COUNTRY.test(last) ? last : undefined;
  const locale: Locale = { code };
  if (country !== undefined) locale.country = country;
  if (language !== undefined) locale.language = language;
  return locale;
}
