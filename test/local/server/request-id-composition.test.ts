import { Hono } from 'hono';
import { type RequestIdVariables, requestId } from '../../../lambdas/http/request-id';

/** The local server mounts the ingest and KPI apps side by side, and each uses requestId(). */
describe('requestId() in apps mounted together', () => {
  it('keeps the one id the first app set, so handlers of the second app see the id that is answered', async () => {
    const first = new Hono<{ Variables: RequestIdVariables }>();
    first.use(requestId());
    first.get('/first', (c) => c.text(c.get('requestId')));
    const second = new Hono<{ Variables: RequestIdVariables }>();
    second.use(requestId());
    second.get('/second', (c) => c.text(c.get('requestId')));
    const app = new Hono().route('/', first).route('/', second);

    const response = await app.request('/second');

    expect(await response.text()).toBe(response.headers.get('x-amzn-RequestId'));
  });
});
