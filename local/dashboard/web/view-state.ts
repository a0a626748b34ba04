import { parseDay } from '../../../lambdas/core/calendar-day';

/**
 * What the page shows, all of it in the URL's query string, so a view can be shared, bookmarked
 * and reloaded: `?app=demo&tab=retention&range=30&tz=Europe/Paris&compare=1`.
 */

export const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'active-users', label: 'Active users' },
  { id: 'sessions', label: 'Sessions' },
  { id: 'revenue', label: 'Revenue' },
  { id: 'retention', label: 'Retention' },
  { id: 'custom-events', label: 'Custom events' },
] as const;

export type TabId = (typeof TABS)[number]['id'];

/** The last 7, 30 or 90 complete days, or a custom range. */
export const RANGES = ['7', '30', '90', 'custom'] as const;
export type RangeChoice = (typeof RANGES)[number];

/** A metric or attribute of the chosen event type. */
export interface EventField {
  readonly kind: 'metric' | 'attribute';
  readonly name: string;
}

export interface ViewState {
  readonly tab: TabId;
  /** Undefined until the list of apps has loaded (then the first app). */
  readonly app?: string;
  readonly range: RangeChoice;
  /** The custom range's first and last day, YYYY-MM-DD; only with range `custom`. */
  readonly start?: string;
  readonly end?: string;
  readonly timezone: string;
  readonly compare: boolean;
  /** Custom events tab: the event type and the field whose values are charted. */
  readonly event?: string;
  readonly field?: EventField;
}

const isDay = (text: string | null): text is string => text !== null && parseDay(text) !== undefined;

function fieldOf(text: string | null): EventField | undefined {
  if (text === null) return undefined;
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const name = text.slice(colon + 1);
  return (kind === 'metric' || kind === 'attribute') && name !== '' ? { kind, name } : undefined;
}

/** The state a query string describes; what is missing or malformed takes its default. */
export function readState(search: string, browserTimeZone: string): ViewState {
  const params = new URLSearchParams(search);
  const tab = TABS.find((t) => t.id === params.get('tab'))?.id ?? 'overview';
  const rangeParam = params.get('range');
  let range: RangeChoice = RANGES.find((r) => r === rangeParam) ?? '30';
  const start = params.get('start');
  const end = params.get('end');
  if (range === 'custom' && !(isDay(start) && isDay(end))) range = '30';
  return {
    tab,
    app: params.get('app') || undefined,
    range,
    ...(range === 'custom' ? { start: start ?? undefined, end: end ?? undefined } : {}),
    timezone: params.get('tz') || browserTimeZone,
    compare: params.get('compare') === '1',
    event: params.get('event') || undefined,
    field: fieldOf(params.get('field')),
  };
}

/** The query string of a state (without `?`); only the custom range carries its days. */
export function writeState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.app !== undefined) params.set('app', state.app);
  params.set('tab', state.tab);
  params.set('range', state.range);
  if (state.range === 'custom' && state.start && state.end) {
    params.set('start', state.start);
    params.set('end', state.end);
  }
  params.set('tz', state.timezone);
  if (state.compare) params.set('compare', '1');
  if (state.tab === 'custom-events') {
    if (state.event !== undefined) params.set('event', state.event);
    if (state.field !== undefined) params.set('field', `${state.field.kind}:${state.field.name}`);
  }
  return params.toString();
}
