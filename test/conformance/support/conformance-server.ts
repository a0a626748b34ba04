import { utcDay } from '../../../lambdas/core/calendar-day';
import { DAY_MS } from '../../../lambdas/core/time';
import { type LocalServer, startLocalServer } from '../../../local/server/local-server';
import { tempDir } from '../../local/support/lake-fixtures';
import { RecordingProxy } from './recording-proxy';

/** The values of a KPI series, as the KPI API answers them. */
interface Series {
  readonly values: readonly { readonly date: string; readonly value: number | null }[];
}

/**
 * The real local server on a fresh lake (port 0, no sample data, the real clock, as `npm start`
 * runs), a recording proxy in front of it for the clients, and the KPI API asked directly.
 */
export class ConformanceServer {
  private constructor(
    readonly server: LocalServer,
    readonly proxy: RecordingProxy,
    private readonly removeLake: () => Promise<void>,
  ) {}

  static async start(name: string): Promise<ConformanceServer> {
    const lake = await tempDir(`conformance-${name}`);
    const server = await startLocalServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: lake.path,
      sampleData: false,
    });
    await server.ready;
    return new ConformanceServer(server, await RecordingProxy.start(server.url), lake.remove);
  }

  /** Where clients send: the proxy. */
  get url(): string {
    return this.proxy.url;
  }

  /** A KPI's daily values from yesterday to tomorrow (UTC), which hold every event a test sends now. */
  async series(appId: string, path: string): Promise<Series['values']> {
    const now = Date.now();
    const range = new URLSearchParams({ startDate: utcDay(now - DAY_MS), endDate: utcDay(now + DAY_MS) });
    const response = await fetch(`${this.server.url}/apps/${appId}${path}?${range}`);
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return ((await response.json()) as Series).values;
  }

  /** The sum of a KPI's daily values over {@link series}' days: a count or a sum whatever day the events fell on. */
  async total(appId: string, path: string): Promise<number> {
    return (await this.series(appId, path)).reduce((sum, day) => sum + (day.value ?? 0), 0);
  }

  /** Clients ever seen, on the last day of {@link series}. */
  async lifetimeUsers(appId: string): Promise<number> {
    return (await this.series(appId, '/kpis/new-users/lifetime-count')).at(-1)?.value ?? 0;
  }

  async close(): Promise<void> {
    await this.proxy.close();
    await this.server.close();
    await this.removeLake();
  }
}
