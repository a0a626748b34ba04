import type { Context } from 'aws-lambda';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import type { QueryEngine } from '../../lambdas/core/query-engine';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';

const noEngine: QueryEngine = {
  query: () => Promise.reject(new Error('GET / runs no query')),
};
const app = createKpiApp({ engine: noEngine, lake: TEST_LAKE, apps: NO_APPS });

describe('GET / of the KPI API', () => {
  it('locally: a JSON index linking the OpenAPI document and the apps', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      name: 'Mobile KPI API',
      links: { openapi: '/openapi.json', apps: '/apps' },
    });
    expect(body.links.example).toMatch(/^\/apps\/\{appId\}\/kpis\/dau\/count\?/);
    expect((await app.request(body.links.openapi)).status).toBe(200);
  });

  it.each([
    ['/prod/', '/prod'],
    ['/prod', '/prod'],
    ['/', ''],
  ])('behind API Gateway (client path %s): links below the stage', async (calledPath, base) => {
    const event = {
      httpMethod: 'GET',
      path: '/',
      resource: '/',
      headers: { host: 'abc.execute-api.eu-west-1.amazonaws.com' },
      multiValueHeaders: {},
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'r', path: calledPath, stage: 'prod' },
    } as unknown as LambdaEvent;
    const result = await handle(app)(event, {} as Context);
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body);
    expect(body.links.openapi).toBe(`${base}/openapi.json`);
    expect(body.links.apps).toBe(`${base}/apps`);
  });
});
