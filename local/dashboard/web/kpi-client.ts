import type { EventCatalogue } from '../../../lambdas/kpi/event-catalogue';
import type { DayValue } from '../../../lambdas/kpi/kpi-source';
import type { Period } from './periods';

export type { EventType } from '../../../lambdas/kpi/event-catalogue';

/**
 * The page's only way to data: the public KPI API (docs/CONTRACT.md §3), same origin, through
 * the local server or the signing proxy. Answers are kept for the page's life (the Refresh
 * button forgets them), so switching tabs does not ask again.
 */

/** A KPI answer: the contract's keys, and those an API may add (shown when present). */
export interface Series {
  readonly appId: string;
  readonly kpi: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly timezone: string;
  readonly values: readonly DayValue[];
  readonly bytesScanned?: number;
  readonly engineMs?: number;
  readonly cached?: boolean;
  readonly freshness?: string | null;
  readonly source?: unknown;
}

/** The answer of `GET /apps/{appId}/events` (the shape the KPI app sends). */
export interface EventTypes extends EventCatalogue {
  readonly engineMs?: number;
  readonly freshness?: string | null;
}

/** The API answered with an error: its status and its own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** One path segment, percent-encoded (event, metric and attribute names may hold any character). */
const segment = (name: string) => encodeURIComponent(name);

export class KpiClient {
  private readonly answers = new Map<string, Promise<unknown>>();

  /** Forgets every answer: the next calls ask the API again. */
  clear(): void {
    this.answers.clear();
  }

  apps(): Promise<readonly string[]> {
    return this.get<{ apps: string[] }>('/apps').then((body) => body.apps);
  }

  /** A KPI path below the app, e.g. `/kpis/dau/count`, for a period in a zone. */
  series(app: string, path: string, period: Period, timezone: string): Promise<Series> {
    return this.get<Series>(`/apps/${segment(app)}${path}?${query(period, timezone)}`);
  }

  eventTypes(app: string, period: Period, timezone: string): Promise<EventTypes> {
    return this.get<EventTypes>(`/apps/${segment(app)}/events?${query(period, timezone)}`);
  }

  private get<T>(url: string): Promise<T> {
    let answer = this.answers.get(url);
    if (!answer) {
      answer = request(url);
      this.answers.set(url, answer);
      answer.catch(() => this.answers.delete(url));
    }
    return answer as Promise<T>;
  }
}

function query(period: Period, timezone: string): string {
  return new URLSearchParams({ startDate: period.start, endDate: period.end, timezone }).toString();
}

async function request(url: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' } });
  } catch (err) {
    throw new ApiError(0, `The KPI API could not be reached (${(err as Error).message})`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const message = (body as { message?: unknown } | undefined)?.message;
    throw new ApiError(
      response.status,
      typeof message === 'string' && message !== ''
        ? message
        : `The KPI API answered ${response.status} ${response.statusText}`.trim(),
    );
  }
  if (body === undefined) throw new ApiError(response.status, 'The KPI API answered without a JSON body');
  return body;
}

/** KPI paths below `/apps/{appId}` (docs/CONTRACT.md §3). */
export const KPI = {
  dau: '/kpis/dau/count',
  mau: '/kpis/mau/count',
  newUsers: '/kpis/new-users/count',
  lifetimeUsers: '/kpis/new-users/lifetime-count',
  sessions: '/kpis/sessions/count',
  revenue: '/kpis/daily-revenue/sum',
  pdau: '/kpis/pdau/count',
  pmau: '/kpis/pmau/count',
} as const;

export const RETENTION = [
  { id: 'day-1', label: 'Day 1', path: '/kpis/day-1-retention/count' },
  { id: 'day-3', label: 'Day 3', path: '/kpis/day-3-retention/count' },
  { id: 'day-5', label: 'Day 5', path: '/kpis/day-5-retention/count' },
  { id: 'day-7', label: 'Day 7', path: '/kpis/day-7-retention/count' },
  { id: 'week-1', label: 'Week 1', path: '/kpis/week-1-retention/count' },
  { id: 'week-2', label: 'Week 2', path: '/kpis/week-2-retention/count' },
  { id: 'week-3', label: 'Week 3', path: '/kpis/week-3-retention/count' },
] as const;

/** `/events/{eventName}/count` and the aggregates of a metric or attribute of that event type. */
export function eventPath(
  event: string,
  field?: { kind: 'metric' | 'attribute'; name: string },
  aggregate?: string,
) {
  if (!field || !aggregate) return `/events/${segment(event)}/count`;
  return `/events/${segment(event)}/${field.kind}s/${segment(field.name)}/${aggregate}`;
}
