import { DuckDBInstance } from '@duckdb/node-api';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { createIngestApp } from '../../../lambdas/ingest/ingest-app';
import { createKpiApp } from '../../../lambdas/kpi/kpi-app';
import { DuckDbEngine } from '../../../local/duckdb/duckdb-engine';
import { LakeScanSizer } from '../../../local/duckdb/lake-scan-sizer';
import { Lake } from '../../../local/lake/lake';
import { LakeAppDirectory } from '../../../local/lake/lake-app-directory';
import { LakeKpiViews } from '../../../local/rollups/lake-kpi-views';
import { type LocalServer, startLocalServer } from '../../../local/server/local-server';
import { generateEvents } from '../../support/generate-events';
import { TEST_LAKE } from '../../support/lake';
import { writeLake } from '../../support/write-lake';
import { clientContext } from '../support/door-requests';
import { tempDir } from '../support/lake-fixtures';

/**
 * The same request/response cases against both runtimes: the Lambda handlers (`handle(app)`
 * invoked with API Gateway REST proxy events, one function per API as deployed) and the local
 * Node server. Each runtime has its own lake holding the same events.
 */

const NOW = Date.parse('2026-03-26T02:00:00Z');
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Case {
  readonly name: string;
  /** The status both runtimes must answer. */
  readonly status: number;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

const pinpointBody = (events: Record<string, unknown>) =>
  JSON.stringify({
    BatchItem: { 'device-1': { Endpoint: { Demographic: { Platform: 'ios' } }, Events: events } },
  });

const CASES: Case[] = [
  { name: 'the list of apps', status: 200, method: 'GET', path: '/apps' },
  {
    name: 'DAU over a range',
    status: 200,
    method: 'GET',
    path: '/apps/demo/kpis/dau/count',
    query: { startDate: '2026-03-01', endDate: '2026-03-10' },
  },
  { name: 'MAU with default dates', status: 200, method: 'GET', path: '/apps/demo/kpis/mau/count' },
  {
    name: 'day-1 retention in a half-hour time zone, null past yesterday',
    status: 200,
    method: 'GET',
    path: '/apps/demo/kpis/day-1-retention/count',
    query: { startDate: '2026-03-20', endDate: '2026-03-27', timezone: 'Asia/Kolkata' },
  },
  {
    // max, not avg or sum: a sum of doubles may differ in its last digit from run to run (the
    // engine adds in thread order), which is not what this table compares.
    name: 'a metric maximum of a custom event',
    status: 200,
    method: 'GET',
    path: '/apps/demo/events/level_complete/metrics/score/max',
    query: { startDate: '2026-03-01', endDate: '2026-03-07' },
  },
  {
    name: 'a bad date',
    status: 400,
    method: 'GET',
    path: '/apps/demo/kpis/dau/count',
    query: { startDate: '2026-13-01' },
  },
  {
    name: 'an unknown time zone',
    status: 400,
    method: 'GET',
    path: '/apps/demo/kpis/dau/count',
    query: { timezone: 'Mars/Olympus_Mons' },
  },
  {
    name: 'start after end',
    status: 400,
    method: 'GET',
    path: '/apps/demo/kpis/dau/count',
    query: { startDate: '2026-03-10', endDate: '2026-03-01' },
  },
  { name: 'an unknown KPI path', status: 404, method: 'GET', path: '/apps/demo/kpis/unknown/count' },
  { name: 'the OpenAPI document', status: 200, method: 'GET', path: '/openapi.json' },
  {
    name: 'a Pinpoint PutEvents request',
    status: 202,
    method: 'POST',
    path: '/v1/apps/demo/events',
    headers: JSON_HEADERS,
    body: pinpointBody({
      'e-1': {
        EventType: '_session.start',
        Timestamp: '2026-03-25T08:00:00Z',
        Session: { Id: 's-1', StartTimestamp: '2026-03-25T08:00:00Z' },
      },
      'e-2': { EventType: 'level_complete', Timestamp: '2026-03-25T08:01:00Z', Metrics: { score: 'lots' } },
    }),
  },
  {
    name: 'a Pinpoint body that is not JSON',
    status: 400,
    method: 'POST',
    path: '/v1/apps/demo/events',
    headers: JSON_HEADERS,
    body: '{',
  },
  {
    name: 'a Pinpoint request for a malformed app id',
    status: 400,
    method: 'POST',
    path: '/v1/apps/-bad/events',
    headers: JSON_HEADERS,
    body: pinpointBody({}),
  },
  {
    name: 'a Mobile Analytics PutEvents request',
    status: 202,
    method: 'POST',
    path: '/2014-06-05/events',
    headers: { ...JSON_HEADERS, 'x-amz-client-context': clientContext('demo', 'ma-client', true) },
    body: JSON.stringify({ events: [{ eventType: '_session.start', timestamp: '2026-03-25T09:00:00Z' }] }),
  },
  {
    name: 'a Mobile Analytics request without its client context',
    status: 400,
    method: 'POST',
    path: '/2014-06-05/events',
    headers: JSON_HEADERS,
    body: JSON.stringify({ events: [{ eventType: '_session.start', timestamp: '2026-03-25T09:00:00Z' }] }),
  },
  {
    name: 'a Mobile Analytics body over 1024 KB',
    status: 413,
    method: 'POST',
    path: '/2014-06-05/events',
    headers: { ...JSON_HEADERS, 'x-amz-client-context': clientContext('demo', 'ma-client') },
    body: JSON.stringify({ events: [], pad: 'x'.repeat(1_100_000) }),
  },
  { name: 'a method a door does not take', status: 405, method: 'DELETE', path: '/v1/apps/demo/events' },
  {
    name: 'a Pinpoint UpdateEndpoint request',
    status: 202,
    method: 'PUT',
    path: '/v1/apps/demo/endpoints/device-1',
    headers: JSON_HEADERS,
    body: JSON.stringify({ ChannelType: 'APNS', Demographic: { Platform: 'ios' }, User: { UserId: 'u-1' } }),
  },
  {
    name: 'a Pinpoint UpdateEndpointsBatch request',
    status: 202,
    method: 'PUT',
    path: '/v1/apps/demo/endpoints',
    headers: JSON_HEADERS,
    body: JSON.stringify({ Item: [{ Id: 'device-1' }, { Id: 'device-2', OptOut: 'ALL' }] }),
  },
  {
    name: 'a Pinpoint UpdateEndpoint body of the wrong shape',
    status: 400,
    method: 'PUT',
    path: '/v1/apps/demo/endpoints/device-1',
    headers: JSON_HEADERS,
    body: JSON.stringify({ Demographic: { Platform: 7 } }),
  },
];

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly errorType: string | null;
  readonly body: unknown;
  readonly requestId: string | null;
}

/** The body, with a `RequestID` that is the answer's own request id (which differs per runtime) marked as such. */
function parse(text: string, requestId: string | null): unknown {
  if (text === '') return '';
  const body = JSON.parse(text);
  if (body.RequestID !== undefined && body.RequestID === requestId) body.RequestID = '<x-amzn-RequestId>';
  return body;
}

let lambdaDir: Awaited<ReturnType<typeof tempDir>>;
let localDir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;
let lambdaLake: Lake;
let server: LocalServer;
let ingestHandler: ReturnType<typeof handle>;
let kpiHandler: ReturnType<typeof handle>;

async function viaLambda(c: Case, requestId: string): Promise<Answer> {
  const query = c.query ?? null;
  const headers = { host: 'abc123.execute-api.us-east-1.amazonaws.com', ...c.headers };
  const event = {
    resource: '/{proxy+}',
    path: c.path,
    httpMethod: c.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query,
    multiValueQueryStringParameters:
      query && Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])),
    pathParameters: { proxy: c.path.slice(1) },
    stageVariables: null,
    body: c.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      requestId,
      stage: 'prod',
      httpMethod: c.method,
      path: `/prod${c.path}`,
      resourcePath: '/{proxy+}',
      accountId: '123456789012',
      apiId: 'abc123',
      protocol: 'HTTP/1.1',
      requestTimeEpoch: NOW,
    },
  } as unknown as Parameters<typeof ingestHandler>[0];
  const isIngest = c.path.startsWith('/v1/') || c.path.startsWith('/2014-06-05/');
  const result = (await (isIngest ? ingestHandler : kpiHandler)(
    event,
    {} as Context,
  )) as APIGatewayProxyResult;
  const header = (name: string) => {
    const values = result.multiValueHeaders ?? {};
    const key = Object.keys(values).find((k) => k.toLowerCase() === name);
    return key === undefined ? null : String(values[key]?.[0]);
  };
  return {
    status: result.statusCode,
    contentType: header('content-type'),
    errorType: header('x-amzn-errortype'),
    body: parse(result.body, header('x-amzn-requestid')),
    requestId: header('x-amzn-requestid'),
  };
}

async function viaLocalServer(c: Case): Promise<Answer> {
  const url = `${server.url}${c.path}${c.query ? `?${new URLSearchParams(c.query)}` : ''}`;
  const response = await fetch(url, { method: c.method, headers: c.headers, body: c.body });
  const requestId = response.headers.get('x-amzn-requestid');
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    errorType: response.headers.get('x-amzn-errortype'),
    body: parse(await response.text(), requestId),
    requestId,
  };
}

beforeAll(async () => {
  lambdaDir = await tempDir('parity-lambda');
  localDir = await tempDir('parity-local');
  instance = await DuckDBInstance.create(':memory:');
  const events = generateEvents({
    seed: 5,
    appId: 'demo',
    from: '2026-02-01',
    to: '2026-03-27',
    clients: 20,
  });
  await writeLake(instance, lambdaDir.path, events);
  await writeLake(instance, localDir.path, events);
  lambdaLake = await Lake.open({ dataDir: lambdaDir.path, command: 'the Lambda side of a test', instance });
  const now = () => NOW;
  ingestHandler = handle(createIngestApp({ sink: lambdaLake.sink, lake: TEST_LAKE, now }));
  const engine = new DuckDbEngine({ events: lambdaLake, instance });
  const views = new LakeKpiViews({ lake: lambdaLake, engine, sizer: new LakeScanSizer(instance) });
  kpiHandler = handle(
    createKpiApp({
      engine,
      view: (appId: string) => views.view(appId),
      lake: TEST_LAKE,
      apps: new LakeAppDirectory({ lake: lambdaLake }),
      now,
    }),
  );
  server = await startLocalServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: localDir.path,
    sampleData: false,
    // Both runtimes read raw events: the Lambda has no rollups yet (docs/ROLLUPS.md).
    rollups: false,
    lakeStartDate: TEST_LAKE.startDate,
    now,
  });
  await server.ready;
});

afterAll(async () => {
  await server.close();
  await lambdaLake.close();
  instance.closeSync();
  await lambdaDir.remove();
  await localDir.remove();
});

/**
 * An answer without what differs by run: the request id, and a KPI answer's engine time and
 * bytes read (each lake has its own files), which must still be there.
 */
function comparable(answer: Answer) {
  const { body } = answer;
  if (typeof body !== 'object' || body === null || !('engineMs' in body))
    return { ...answer, requestId: undefined };
  const { engineMs, bytesScanned, ...rest } = body as Record<string, unknown>;
  expect(engineMs).toEqual(expect.any(Number));
  expect(bytesScanned).toEqual(expect.any(Number));
  return { ...answer, requestId: undefined, body: rest };
}

describe('the same app in Lambda and in the local server', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('answers %s the same way', async (_name, c) => {
    const lambda = await viaLambda(c, 'api-gateway-request-1');
    const local = await viaLocalServer(c);

    expect(lambda.status).toBe(c.status);
    expect(comparable(local)).toEqual(comparable(lambda));
    expect(lambda.requestId).toBe('api-gateway-request-1');
    expect(local.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });
});
