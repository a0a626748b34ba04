import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the stand-in received. */
export interface ReceivedRequest {
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

export interface StandInKpiApi {
  /** e.g. `http://127.0.0.1:43210` */
  readonly origin: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

export const STAND_IN_APPS = ['demo', 'shop'];
export const DENIED_MESSAGE =
  'User: arn:aws:sts::123456789012:assumed-role/reader/me is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/GET/apps';

function days(start: string, end: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${start}T00:00:00Z`); t <= Date.parse(`${end}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * A local stand-in for a deployed KPI API behind API Gateway, stage `prod`: it records every
 * request (headers included) and answers the contract's shapes with made-up values (a KPI's
 * value on a day is the day of the month). Below `/denied/` it answers as API Gateway does to a
 * principal without permission: 403 with a message.
 */
export async function startStandInKpiApi(): Promise<StandInKpiApi> {
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.startsWith('/denied/')) return json(403, { message: DENIED_MESSAGE });
    if (url.pathname === '/prod/apps') return json(200, { apps: STAND_IN_APPS });
    const kpi = /^\/prod\/apps\/([^/]+)\/(.+)$/.exec(url.pathname);
    const startDate = url.searchParams.get('startDate') ?? '2026-01-01';
    const endDate = url.searchParams.get('endDate') ?? '2026-01-30';
    const timezone = url.searchParams.get('timezone') ?? 'UTC';
    if (kpi?.[2] === 'events') {
      return json(200, {
        appId: kpi[1],
        startDate,
        endDate,
        timezone,
        events: [{ name: 'level_up', metrics: ['score'], attributes: ['level'] }],
      });
    }
    if (kpi) {
      return json(200, {
        appId: decodeURIComponent(kpi[1] ?? ''),
        kpi: kpi[2],
        startDate,
        endDate,
        timezone,
        values: days(startDate, endDate).map((date) => ({ date, value: Number(date.slice(8)) })),
        bytesScanned: 1_234_567,
        freshness: '2026-01-31T10:00:00.000Z',
      });
    }
    return json(404, { message: `No route for ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
