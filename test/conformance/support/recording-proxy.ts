import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a client sent through the proxy, and the server's answer to it. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly requestHeaders: IncomingHttpHeaders;
  readonly requestBody: string;
  readonly status: number;
  readonly responseHeaders: IncomingHttpHeaders;
  readonly responseBody: string;
  /** The server answered, but the proxy closed the client's connection instead of passing the answer on. */
  readonly dropped: boolean;
}

type Match = (method: string, path: string, body: string) => boolean;

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Sends the client's request on to the server as it came (but for its Host) and reads the whole answer. */
function forward(target: string, req: IncomingMessage, body: Buffer): Promise<Answer> {
  const { host: _, ...headers } = req.headers;
  return new Promise((resolve, reject) => {
    const upstream = request(`${target}${req.url}`, { method: req.method, headers });
    upstream.on('error', reject);
    upstream.on('response', (res) => {
      readAll(res).then(
        (text) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }),
        reject,
      );
    });
    upstream.end(body);
  });
}

/**
 * A proxy between a real client and the local server that records every exchange and can lose
 * an answer on the way back: the server has handled the request, the client sees its connection
 * closed, and its own retry logic sends the request again, as after a dropped mobile connection.
 */
export class RecordingProxy {
  readonly exchanges: Exchange[] = [];
  private readonly drops: Match[] = [];
  private readonly server: Server;
  private address = '';

  private constructor(private readonly target: string) {
    this.server = createServer((req, res) => {
      this.handle(req).then(
        (answer) => {
          if (answer === undefined) {
            req.socket.destroy();
            return;
          }
          const {
            'transfer-encoding': _,
            connection: __,
            'content-length': ___,
            ...headers
          } = answer.headers;
          res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
          res.end(answer.body);
        },
        (err: Error) => {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(`proxy: ${err.message}`);
        },
      );
    });
  }

  static async start(target: string): Promise<RecordingProxy> {
    const proxy = new RecordingProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    proxy.address = `http://127.0.0.1:${(proxy.server.address() as AddressInfo).port}`;
    return proxy;
  }

  /** Where clients send. */
  get url(): string {
    return this.address;
  }

  /** The server's answer, recorded; undefined when it is to be lost. */
  private async handle(req: IncomingMessage): Promise<Answer | undefined> {
    const body = await readAll(req);
    const answer = await forward(this.target, req, body);
    const method = req.method ?? '';
    const path = req.url ?? '';
    const drop = this.drops.findIndex((match) => match(method, path, body.toString('utf8')));
    if (drop >= 0) this.drops.splice(drop, 1);
    this.exchanges.push({
      method,
      path,
      requestHeaders: req.headers,
      requestBody: body.toString('utf8'),
      status: answer.status,
      responseHeaders: answer.headers,
      responseBody: answer.body.toString('utf8'),
      dropped: drop >= 0,
    });
    return drop >= 0 ? undefined : answer;
  }

  /** Loses the answer to the next request that matches. */
  dropNextAnswer(match: Match): void {
    this.drops.push(match);
  }

  /** The exchanges with the given method whose path matches. */
  sent(method: string, path: RegExp): Exchange[] {
    return this.exchanges.filter((e) => e.method === method && path.test(e.path));
  }

  /** Waits (up to about 10 s, counted in polls, not in clock time) until `done` holds. */
  async waitFor(what: string, done: () => boolean): Promise<void> {
    for (let polls = 0; !done(); polls++) {
      if (polls >= 500) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
