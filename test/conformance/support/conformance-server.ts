import { utcDay } from '../../../lambdas/core/calendar-day';
import { DAY_MS } from '../../../lambdas/core/time';
import { startTempServer, type TempServer } from '../../local/support/temp-server';
import { RecordingProxy } from './recording-proxy';

/** The values of a KPI series, as the KPI API answers them. */
interface Series {
  readonly values: readonly { readonly date: string; readonly value: number | null }[];
}

/** The KPIs every conformance test checks, for one app. */
export interface KpiSummary {
  readonly sessions: number;
  readonly lifetimeUsers: number;
  readonly purchases: number;
  readonly revenue: number;
  /** Count of `level_complete` events and the sum of their `score` metric. */
  readonly levelCompletes: number;
  readonly scoreSum: number;
}

/**
 * The summary a test expects, from what it sent: the purchases (their count and revenue) and the
 * other KPIs as counted by hand.
 */
export function expectedSummary(
  purchases: readonly { readonly price: number }[],
  counts: Omit<KpiSummary, 'purchases' | 'revenue'>,
): KpiSummary {
  const revenue = purchases.reduce((sum, p) => sum + p.price, 0);
  return { ...counts, purchases: purchases.length, revenue: expect.closeTo(revenue, 9) };
}

/**
 * The real local server on a fresh lake (port 0, no sample data, the real clock, as `npm start`
 * runs), a recording proxy in front of it for the clients, and the KPI API asked directly.
 */
export class ConformanceServer {
  private constructor(
    private readonly local: TempServer,
    readonly proxy: RecordingProxy,
  ) {}

  static async start(name: string): Promise<ConformanceServer> {
    const local = await startTempServer(`conformance-${name}`);
    return new ConformanceServer(local, await RecordingProxy.start(local.server.url));
  }

  /** Where clients send: the proxy. */
  get url(): string {
    return this.proxy.url;
  }

  /** The `x-api-key` values of every request the clients sent. */
  get apiKeysSent(): ReadonlySet<unknown> {
    return new Set(this.proxy.exchanges.map((e) => e.requestHeaders['x-api-key']));
  }

  /** A KPI's daily values from yesterday to tomorrow (UTC), which hold every event a test sends now. */
  async series(appId: string, path: string): Promise<Series['values']> {
    const now = Date.now();
    const range = new URLSearchParams({ startDate: utcDay(now - DAY_MS), endDate: utcDay(now + DAY_MS) });
    const response = await fetch(`${this.local.server.url}/apps/${appId}${path}?${range}`);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as Series).values;
  }

  /** The sum of a KPI's daily values over {@link series}' days: a count or a sum whatever day the events fell on. */
  async total(appId: string, path: string): Promise<number> {
    return (await this.series(appId, path)).reduce((sum, day) => sum + (day.value ?? 0), 0);
  }

  /** The KPIs of {@link KpiSummary}; lifetime users on the last day of {@link series}. */
  async summary(appId: string): Promise<KpiSummary> {
    const lifetime = await this.series(appId, '/kpis/new-users/lifetime-count');
    return {
      sessions: await this.total(appId, '/kpis/sessions/count'),
      lifetimeUsers: lifetime.at(-1)?.value ?? 0,
      purchases: await this.total(appId, '/events/_monetization.purchase/count'),
      revenue: await this.total(appId, '/kpis/daily-revenue/sum'),
      levelCompletes: await this.total(appId, '/events/level_complete/count'),
      scoreSum: await this.total(appId, '/events/level_complete/metrics/score/sum'),
    };
  }

  async close(): Promise<void> {
    await this.proxy.close();
    await this.local.close();
  }
}
