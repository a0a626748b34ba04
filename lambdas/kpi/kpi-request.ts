import { dayInZone, formatDay, isTimeZoneName, parseDay } from '../core/calendar-day';
import { BadRequestError } from '../core/errors';
import {
  APP_ID_PATTERN,
  APP_ID_RULE,
  EVENT_TYPE_RULE,
  isValidAppId,
  isValidEventType,
  isValidKey,
  KEY_RULE,
  MAX_KEY_CHARS,
} from '../core/identifiers';
import type { KpiDefinition } from './kpi-definitions';
import type { KpiQuery, KpiRange } from './kpi-source';

/**
 * Validation of a KPI request (docs/CONTRACT.md §3): every parameter is checked before anything runs,
 * and a bad one is a 400 naming it. The rules live in {@link PARAMETERS}, which the OpenAPI
 * document is generated from too.
 */

const FIRST_DAY = '1970-01-01';
const LAST_DAY = '9999-12-31';
const MAX_RANGE_DAYS = 366;
const DEFAULT_RANGE_DAYS = 30;

export interface ParameterRule {
  readonly in: 'path' | 'query';
  readonly description: string;
  /** JSON Schema of the value (OpenAPI 3.1). */
  readonly schema: Readonly<Record<string, unknown>>;
}

/** A name of events (docs/CONTRACT.md §2, `lambdas/core/identifiers.ts`): any the doors store. */
const nameRule = (what: string, rule: string, maxLength?: number): ParameterRule => ({
  in: 'path',
  description: `${what}: ${rule} (URL-encoded).`,
  schema: { type: 'string', minLength: 1, ...(maxLength === undefined ? {} : { maxLength }) },
});

/** Each name parameter's check and its rule in words. */
const NAME_CHECKS: Readonly<
  Record<Exclude<PathParameter, 'appId'>, { valid: (value: string) => boolean; rule: string }>
> = {
  eventName: { valid: isValidEventType, rule: EVENT_TYPE_RULE },
  metric: { valid: isValidKey, rule: KEY_RULE },
  attribute: { valid: isValidKey, rule: KEY_RULE },
};

const dateRule = (description: string): ParameterRule => ({
  in: 'query',
  description: `${description} Format YYYY-MM-DD, between ${FIRST_DAY} and ${LAST_DAY}.`,
  schema: { type: 'string', format: 'date' },
});

export const PARAMETERS = {
  appId: {
    in: 'path',
    description: 'The app id, as sent with the events.',
    schema: { type: 'string', pattern: APP_ID_PATTERN.source },
  },
  eventName: nameRule('Event type, e.g. level_complete', EVENT_TYPE_RULE),
  metric: nameRule('Metric name, a key of the events’ metrics', KEY_RULE, MAX_KEY_CHARS),
  attribute: nameRule('Attribute name, a key of the events’ attributes', KEY_RULE, MAX_KEY_CHARS),
  startDate: dateRule('First day of the range (inclusive). Default: endDate - 29.'),
  endDate: dateRule('Last day of the range (inclusive). Default: yesterday in the time zone.'),
  timezone: {
    in: 'query',
    description: 'IANA time zone name that sets the day boundaries, e.g. America/Los_Angeles. Default: UTC.',
    schema: { type: 'string', default: 'UTC' },
  },
} as const satisfies Record<string, ParameterRule>;

export type PathParameter = 'appId' | 'eventName' | 'metric' | 'attribute';
const QUERY_PARAMETERS = ['startDate', 'endDate', 'timezone'] as const;

/** A given value, quoted and shortened, for error messages. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}

function queryValue(search: URLSearchParams, name: (typeof QUERY_PARAMETERS)[number]): string | undefined {
  const values = search.getAll(name);
  if (values.length > 1) throw new BadRequestError(`${name} is given ${values.length} times; give it once`);
  return values[0];
}

function day(name: string, value: string): number {
  const parsed = parseDay(value);
  if (parsed === undefined || value < FIRST_DAY) {
    throw new BadRequestError(
      `${name} ${quoted(value)} is not a valid date: use YYYY-MM-DD, between ${FIRST_DAY} and ${LAST_DAY}`,
    );
  }
  return parsed;
}

/** Validates a request for one KPI route; throws {@link BadRequestError} naming the bad parameter. */
export function parseKpiRequest(
  definition: KpiDefinition,
  pathParams: Readonly<Record<string, string>>,
  search: URLSearchParams,
  nowMs: number,
): KpiQuery {
  return { definition, ...parseRangeRequest(pathParams, search, nowMs) };
}

/**
 * Throws {@link BadRequestError} naming the first query parameter that is not one of `allowed`
 * (none for `GET /apps`), so that a misspelt parameter is never silently ignored.
 */
export function rejectUnknownParameters(search: URLSearchParams, allowed: readonly string[]): void {
  for (const key of new Set(search.keys())) {
    if (!allowed.includes(key)) {
      throw new BadRequestError(
        `Unknown query parameter ${quoted(key)}; allowed: ${allowed.length === 0 ? 'none' : allowed.join(', ')}`,
      );
    }
  }
}

/**
 * Validates the app, names, days and time zone of any request below `/apps/{appId}` (a KPI or
 * the event types of the app); throws {@link BadRequestError} naming the bad parameter.
 */
export function parseRangeRequest(
  pathParams: Readonly<Record<string, string>>,
  search: URLSearchParams,
  nowMs: number,
): KpiRange {
  rejectUnknownParameters(search, QUERY_PARAMETERS);
  const appId = pathParams.appId ?? '';
  if (!isValidAppId(appId)) {
    throw new BadRequestError(`appId ${quoted(appId)} is malformed: an app id is ${APP_ID_RULE}`);
  }
  const names: Record<string, string> = {};
  for (const [name, value] of Object.entries(pathParams)) {
    if (name === 'appId') continue;
    const check = NAME_CHECKS[name as Exclude<PathParameter, 'appId'>];
    if (!check.valid(value)) {
      throw new BadRequestError(`${name} ${quoted(value)} is malformed: use ${check.rule}`);
    }
    names[name] = value;
  }
  const timezone = queryValue(search, 'timezone') ?? 'UTC';
  if (!isTimeZoneName(timezone)) {
    throw new BadRequestError(
      `timezone ${quoted(timezone)} is not a known IANA time zone name, e.g. Europe/Paris`,
    );
  }
  const today = dayInZone(nowMs, timezone);
  const endText = queryValue(search, 'endDate');
  const startText = queryValue(search, 'startDate');
  const end = endText === undefined ? today - 1 : day('endDate', endText);
  const start = startText === undefined ? end - (DEFAULT_RANGE_DAYS - 1) : day('startDate', startText);
  if (start > end) {
    const endSource = endText === undefined ? ' (default: yesterday)' : '';
    throw new BadRequestError(`startDate ${formatDay(start)} is after endDate ${formatDay(end)}${endSource}`);
  }
  if (end - start + 1 > MAX_RANGE_DAYS) {
    throw new BadRequestError(
      `The range from startDate ${formatDay(start)} to endDate ${formatDay(end)} is ${end - start + 1} days; the most is ${MAX_RANGE_DAYS}`,
    );
  }
  return {
    appId,
    startDate: formatDay(start),
    endDate: formatDay(end),
    timezone,
    lastCompleteDate: formatDay(today - 1),
    names,
  };
}
