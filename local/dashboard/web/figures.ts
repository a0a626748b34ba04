import type { ValueFormat } from './format';
import { KPI } from './kpi-client';

/**
 * The Overview's nine headline figures, as the Mobile Analytics console had them, each computed
 * for a period from the KPI API's daily values (one array per KPI, one entry per day), with a
 * daily series for its sparkline. Ratios are ratios of sums over the period (so a quiet day
 * weighs less than a busy one), never averages of daily ratios.
 */

export interface OverviewInputs {
  readonly dau: readonly (number | null)[];
  readonly mau: readonly (number | null)[];
  readonly newUsers: readonly (number | null)[];
  readonly sessions: readonly (number | null)[];
  readonly revenue: readonly (number | null)[];
  readonly pdau: readonly (number | null)[];
  /** Day-1 retention counts; null for days whose next day is not over. */
  readonly day1: readonly (number | null)[];
}

/** The KPI paths the figures need, by input name. */
export const OVERVIEW_KPIS: Readonly<Record<keyof OverviewInputs, string>> = {
  dau: KPI.dau,
  mau: KPI.mau,
  newUsers: KPI.newUsers,
  sessions: KPI.sessions,
  revenue: KPI.revenue,
  pdau: KPI.pdau,
  day1: '/kpis/day-1-retention/count',
};

export interface FigureDefinition {
  readonly id: string;
  readonly label: string;
  /** How the figure is computed, for its tooltip. */
  readonly help: string;
  readonly format: ValueFormat;
  /** How a change is told: relative (+12%) or, for shares, in percentage points. */
  readonly change: 'relative' | 'points';
  /** The inputs {@link value} and {@link daily} read: the figure can be shown once these answered, whatever the others do. */
  readonly inputs: readonly (keyof OverviewInputs)[];
  value(inputs: OverviewInputs): number | null;
  daily(inputs: OverviewInputs): (number | null)[];
}

const sum = (values: readonly (number | null)[]) => values.reduce<number>((total, v) => total + (v ?? 0), 0);

const mean = (values: readonly (number | null)[]) =>
  values.length === 0 ? null : sum(values) / values.length;

const ratio = (numerator: number | null, denominator: number | null) =>
  numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;

const dailyRatio = (numerators: readonly (number | null)[], denominators: readonly (number | null)[]) =>
  numerators.map((n, i) => ratio(n, denominators[i] ?? null));

/** Σ day-1 retention ÷ Σ DAU over the days whose next day is over. */
function day1Retention(inputs: OverviewInputs): number | null {
  const finished = inputs.day1.flatMap((value, i) => (value === null ? [] : [i]));
  if (finished.length === 0) return null;
  return ratio(sum(finished.map((i) => inputs.day1[i] ?? 0)), sum(finished.map((i) => inputs.dau[i] ?? 0)));
}

export const FIGURES: readonly FigureDefinition[] = [
  {
    id: 'mau',
    label: 'Monthly active users',
    help: 'MAU on the last day of the range: clients with a session in the 30 days ending that day',
    format: 'count',
    change: 'relative',
    inputs: ['mau'],
    value: (d) => d.mau[d.mau.length - 1] ?? null,
    daily: (d) => [...d.mau],
  },
  {
    id: 'dau',
    label: 'Daily active users',
    help: 'DAU, average per day of the range',
    format: 'decimal',
    change: 'relative',
    inputs: ['dau'],
    value: (d) => mean(d.dau),
    daily: (d) => [...d.dau],
  },
  {
    id: 'new-users',
    label: 'New users',
    help: 'Clients whose first session ever is in the range, in total',
    format: 'count',
    change: 'relative',
    inputs: ['newUsers'],
    value: (d) => sum(d.newUsers),
    daily: (d) => [...d.newUsers],
  },
  {
    id: 'sessions',
    label: 'Daily sessions',
    help: 'Sessions started, average per day of the range',
    format: 'decimal',
    change: 'relative',
    inputs: ['sessions'],
    value: (d) => mean(d.sessions),
    daily: (d) => [...d.sessions],
  },
  {
    id: 'sticky',
    label: 'Sticky factor',
    help: 'DAU ÷ MAU: Σ DAU ÷ Σ MAU over the range',
    format: 'percent',
    change: 'points',
    inputs: ['dau', 'mau'],
    value: (d) => ratio(sum(d.dau), sum(d.mau)),
    daily: (d) => dailyRatio(d.dau, d.mau),
  },
  {
    id: 'day-1-retention',
    label: 'Day-1 retention',
    help: 'Share of a day’s active users active again the next day: Σ day-1 retention ÷ Σ DAU over the days whose next day is over',
    format: 'percent',
    change: 'points',
    inputs: ['day1', 'dau'],
    value: day1Retention,
    daily: (d) => d.day1.map((value, i) => (value === null ? null : ratio(value, d.dau[i] ?? null))),
  },
  {
    id: 'arpdau',
    label: 'ARPDAU',
    help: 'Average revenue per daily active user: Σ revenue ÷ Σ DAU over the range',
    format: 'amount',
    change: 'relative',
    inputs: ['revenue', 'dau'],
    value: (d) => ratio(sum(d.revenue), sum(d.dau)),
    daily: (d) => dailyRatio(d.revenue, d.dau),
  },
  {
    id: 'pdau',
    label: 'Daily paying users',
    help: 'PDAU: active users who have purchased on or before the day, average per day of the range',
    format: 'decimal',
    change: 'relative',
    inputs: ['pdau'],
    value: (d) => mean(d.pdau),
    daily: (d) => [...d.pdau],
  },
  {
    id: 'arppdau',
    label: 'ARPPDAU',
    help: 'Average revenue per daily paying user: Σ revenue ÷ Σ PDAU over the range',
    format: 'amount',
    change: 'relative',
    inputs: ['revenue', 'pdau'],
    value: (d) => ratio(sum(d.revenue), sum(d.pdau)),
    daily: (d) => dailyRatio(d.revenue, d.pdau),
  },
];

/** The change from the previous period's figure: relative (0.12 = +12%) or a difference of shares. */
export function change(
  current: number | null,
  previous: number | null,
  kind: 'relative' | 'points',
): number | null {
  if (current === null || previous === null) return null;
  if (kind === 'points') return current - previous;
  return previous === 0 ? null : (current - previous) / previous;
}

export { dailyRatio, ratio, sum };
