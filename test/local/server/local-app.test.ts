import type { EventRecord } from '../../../lambdas/core/event-record';
import type { EventSink } from '../../../lambdas/core/event-sink';
import { logger } from '../../../lambdas/core/logger';
import type { QueryEngine } from '../../../lambdas/core/query-engine';
import { DashboardPage } from '../../../local/dashboard/dashboard-page';
import { createLocalApp } from '../../../local/server/local-app';
import { TEST_LAKE } from '../../support/lake';
import { NO_APPS } from '../../support/no-apps';
import { clientContext } from '../support/door-requests';

class MemorySink implements EventSink {
  readonly records: EventRecord[] = [];
  async put(records: readonly EventRecord[]): Promise<void> {
    this.records.push(...records);
  }
}

const noEngine: QueryEngine = {
  query: () => Promise.reject(new Error('no query expected')),
};

const maRequest = () =>
  new Request('http://local/2014-06-05/events', {
    method: 'POST',
    headers: { 'x-amz-client-context': clientContext('demo', 'c1') },
    body: JSON.stringify({ events: [{ eventType: '_session.start', timestamp: '2026-03-25T08:00:00Z' }] }),
  });

afterEach(() => jest.restoreAllMocks());

describe('the local app', () => {
  it('serves both apps, and gives each request one id, logged and answered alike', async () => {
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const sink = new MemorySink();
    const app = createLocalApp({ lake: TEST_LAKE, sink, engine: noEngine, apps: NO_APPS });

    const response = await app.request(maRequest());
    const openApi = await app.request('/openapi.json');

    expect(response.status).toBe(202);
    expect(openApi.status).toBe(200);
    expect(sink.records).toHaveLength(1);
    const logged = info.mock.calls.find(([message]) => message === 'mobile analytics events ingested');
    expect(logged?.[1]).toMatchObject({ requestId: response.headers.get('x-amzn-RequestId') });
  });

  it.each(['/nowhere', '/apps/demo/kpis/unknown/count', '/apps/demo/unknown'])(
    'answers an unknown path %s as the KPI API does: 404 {"message"}',
    async (path) => {
      const app = createLocalApp({
        lake: TEST_LAKE,
        sink: new MemorySink(),
        engine: noEngine,
        apps: NO_APPS,
      });
      const response = await app.request(path);
      expect(response.status).toBe(404);
      expect(response.headers.get('x-amzn-ErrorType')).toBeNull();
      expect(await response.json()).toEqual({ message: `No route for GET ${path}` });
    },
  );

  it.each([
    ['GET', '/v1/apps/demo/unknown', 404, 'NotFoundException'],
    ['POST', '/2014-06-05/unknown', 404, 'NotFoundException'],
    ['GET', '/v1/apps/demo/events', 405, 'MethodNotAllowedException'],
  ])('answers %s %s, a door-shaped path, as the doors do: %i %s', async (method, path, status, type) => {
    const app = createLocalApp({ lake: TEST_LAKE, sink: new MemorySink(), engine: noEngine, apps: NO_APPS });
    const response = await app.request(path, { method });
    expect(response.status).toBe(status);
    expect(response.headers.get('x-amzn-ErrorType')).toBe(type);
    const requestId = response.headers.get('x-amzn-RequestId');
    expect(await response.json()).toEqual({
      message: expect.any(String),
      Message: expect.any(String),
      RequestID: requestId,
    });
  });

  it('answers a KPI error as the KPI API does, with the same app mounted beside the doors', async () => {
    const app = createLocalApp({ lake: TEST_LAKE, sink: new MemorySink(), engine: noEngine, apps: NO_APPS });
    const response = await app.request('/apps/demo/kpis/dau/count?startDate=2026-13-01');
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-ErrorType')).toBeNull();
    expect(Object.keys(await response.json())).toEqual(['message']);
  });

  it('holds requests until the lake is ready', async () => {
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const sink = new MemorySink();
    const app = createLocalApp({ lake: TEST_LAKE, sink, engine: noEngine, apps: NO_APPS, ready });

    const pending = app.request(maRequest());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sink.records).toHaveLength(0);
    markReady();
    expect((await pending).status).toBe(202);
    expect(sink.records).toHaveLength(1);
  });

  it('answers when the lake could not be prepared, each app its own way: doors 500, KPI API 503', async () => {
    const ready = Promise.reject(new Error('disk full'));
    ready.catch(() => undefined);
    const app = createLocalApp({
      lake: TEST_LAKE,
      sink: new MemorySink(),
      engine: noEngine,
      apps: NO_APPS,
      ready,
    });
    const door = await app.request(maRequest());
    expect(door.status).toBe(500);
    expect(door.headers.get('x-amzn-ErrorType')).toBe('InternalServerErrorException');
    expect(await door.json()).toEqual({
      message: 'The local server could not prepare its lake',
      Message: 'The local server could not prepare its lake',
      RequestID: door.headers.get('x-amzn-RequestId'),
    });
    const kpi = await app.request('/openapi.json');
    expect(kpi.status).toBe(503);
    expect(await kpi.json()).toEqual({ message: 'The local server could not prepare its lake' });
  });

  it('serves the dashboard at / to a browser at once, while the lake is still being prepared, and JSON to others', async () => {
    const ready = new Promise<void>(() => undefined);
    const page = new DashboardPage('local');
    const app = createLocalApp({
      lake: TEST_LAKE,
      sink: new MemorySink(),
      engine: noEngine,
      apps: NO_APPS,
      page,
      ready,
    });
    const html = await app.request('/', { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(await html.text()).toContain('<div id="app">');

    const json = await createLocalApp({
      lake: TEST_LAKE,
      sink: new MemorySink(),
      engine: noEngine,
      apps: NO_APPS,
      page,
      ready: Promise.resolve(),
    }).request('/');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.headers.get('x-amzn-ErrorType')).toBeNull();
  });
});
