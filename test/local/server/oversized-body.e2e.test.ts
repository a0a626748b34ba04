import { type ClientRequest, type IncomingMessage, request } from 'node:http';
import type { LocalServer } from '../../../local/server/local-server';
import { clientContext } from '../support/door-requests';
import { startTempServer, type TempServer } from '../support/temp-server';

const NOW = Date.parse('2026-03-26T02:00:00Z');
const APP = 'oversized';
const MB = 1024 * 1024;

interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** Whether the whole body had been written when the answer was read. */
  readonly bodyWritten: boolean;
}

/** Writes a chunk and resolves once it is handed over. */
const writeChunk = (req: ClientRequest, chunk: Buffer) =>
  new Promise<void>((resolve, reject) => req.write(chunk, (err) => (err ? reject(err) : resolve())));

/**
 * A client that writes its whole body before it reads the answer, as Python's urllib and many
 * mobile HTTP stacks do, and slowly, as a phone on a mobile network does: ten chunks, with a
 * pause after each. The answer is only read once the last byte has been handed over; a
 * connection closed under the client (EPIPE, ECONNRESET) fails the call.
 */
async function writeThenRead(
  url: string,
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<RawAnswer> {
  const req = request(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...headers },
  });
  let written = false;
  const closedUnderUs = new Promise<never>((_, reject) => req.on('error', reject));
  const response = new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
  const chunk = Math.ceil(body.length / 10);
  const write = async () => {
    for (let at = 0; at < body.length; at += chunk) {
      await writeChunk(req, body.subarray(at, at + chunk));
      await new Promise((resolve) => setTimeout(resolve, 80));
    }
    await new Promise<void>((resolve) => req.end(resolve));
    written = true;
  };
  await Promise.race([write(), closedUnderUs]);
  const res = await Promise.race([response, closedUnderUs]);
  const chunks: Buffer[] = [];
  for await (const part of res) chunks.push(part as Buffer);
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    body: Buffer.concat(chunks).toString('utf8'),
    bodyWritten: written,
  };
}

/** A JSON body of `bytes` bytes: one event of the door's shape, padded with spaces. */
function padded(value: unknown, bytes: number): Buffer {
  const text = JSON.stringify(value);
  return Buffer.from(text + ' '.repeat(bytes - Buffer.byteLength(text)));
}

const event = { EventType: 'oversized', Timestamp: '2026-03-25T10:00:00Z' };
const pinpointBody = (bytes: number) => padded({ BatchItem: { c: { Events: { e1: event } } } }, bytes);
const maBody = (bytes: number) =>
  padded({ events: [{ eventType: 'oversized', timestamp: '2026-03-25T10:00:00Z' }] }, bytes);

let temp: TempServer;
let server: LocalServer;

beforeAll(async () => {
  temp = await startTempServer('oversized-body', { now: () => NOW });
  server = temp.server;
});

afterAll(() => temp.close());

describe('a body over the limit, sent by a client that writes it all before reading', () => {
  it.each([
    ['Pinpoint PutEvents', `/v1/apps/${APP}/events`, pinpointBody(5 * MB), {}, '(4 MB)'],
    [
      'Mobile Analytics PutEvents',
      '/2014-06-05/events',
      maBody(2 * MB),
      { 'x-amz-client-context': clientContext(APP, 'c') },
      '(1024 KB)',
    ],
  ])(
    '%s gets its typed 413 after the whole body, and the connection is closed',
    async (_door, path, body, headers, limit) => {
      const answer = await writeThenRead(server.url, path, body, headers);
      expect(answer.bodyWritten).toBe(true);
      expect(answer.status).toBe(413);
      expect(answer.headers['x-amzn-errortype']).toBe('PayloadTooLargeException');
      expect(answer.headers.connection).toBe('close');
      expect(JSON.parse(answer.body)).toEqual({
        message: `The request body is ${body.length} bytes; at most ${limit === '(4 MB)' ? 4 * MB : MB} ${limit} are allowed`,
        Message: expect.any(String),
        RequestID: answer.headers['x-amzn-requestid'],
      });
    },
  );

  it('a body under the limit, sent the same way, is accepted, and nothing over the limit was stored', async () => {
    const answer = await writeThenRead(server.url, `/v1/apps/${APP}/events`, pinpointBody(3 * MB));
    expect(answer.status).toBe(202);
    const kpi = await fetch(
      `${server.url}/apps/${APP}/events/oversized/count?startDate=2026-03-25&endDate=2026-03-25`,
    );
    expect(((await kpi.json()) as { values: unknown }).values).toEqual([{ date: '2026-03-25', value: 1 }]);
  });

  it('a declared length over the 10 MB bound is answered 413 before the body is sent, and the server serves on', async () => {
    const req = request(`${server.url}/v1/apps/${APP}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(10 * MB + 1) },
    });
    req.on('error', () => undefined);
    req.flushHeaders();
    const res = await new Promise<IncomingMessage>((resolve) => req.on('response', resolve));
    res.resume();
    req.destroy();
    expect(res.statusCode).toBe(413);
    expect(res.headers['x-amzn-errortype']).toBe('PayloadTooLargeException');
    expect(res.headers.connection).toBe('close');
    const next = await fetch(`${server.url}/v1/apps/${APP}/events`, {
      method: 'POST',
      body: pinpointBody(1024).toString(),
    });
    expect(next.status).toBe(202);
  });
});
