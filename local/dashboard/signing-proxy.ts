import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hono } from 'hono';
import { onError, onNotFound } from '../../lambdas/http/error-handler';
import type { DashboardPage } from './dashboard-page';
import { dashboardRoute } from './dashboard-route';

/** What SignatureV4 takes as credentials: the resolved keys or a provider of them (the default chain). */
export type CredentialSource = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface KpiApiSignerOptions {
  /** The deployed KPI API's URL (the stack's KpiApiUrl, e.g. `https://<id>.execute-api.<region>.amazonaws.com/prod/`). */
  readonly api: URL;
  readonly region: string;
  readonly credentials: CredentialSource;
}

/** A request signed for the KPI API: where it goes and the headers that carry the signature. */
export interface SignedRequest {
  readonly url: URL;
  readonly headers: Record<string, string>;
}

/**
 * Signs GET requests to the deployed KPI API with SigV4 for `execute-api`, the API's only
 * authorisation (IAM). A path below the proxy's root maps to the same path below the API's
 * stage URL, query string included.
 */
export class KpiApiSigner {
  private readonly signer: SignatureV4;
  private readonly base: URL;

  constructor(options: KpiApiSignerOptions) {
    this.base = new URL(options.api);
    if (!this.base.pathname.endsWith('/')) this.base.pathname += '/';
    this.signer = new SignatureV4({
      service: 'execute-api',
      region: options.region,
      credentials: options.credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
  }

  /** The API URL of a path and query below the proxy's root, e.g. `/apps/demo/kpis/dau/count?timezone=UTC`. */
  target(pathAndQuery: string): URL {
    const local = new URL(pathAndQuery, 'http://proxy');
    const url = new URL(this.base);
    url.pathname = `${this.base.pathname}${local.pathname.slice(1)}`;
    url.search = local.search;
    return url;
  }

  async sign(pathAndQuery: string): Promise<SignedRequest> {
    const url = this.target(pathAndQuery);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] as string) : values;
    }
    const signed = await this.signer.sign(
      new HttpRequest({
        method: 'GET',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port ? { port: Number(url.port) } : {}),
        path: url.pathname,
        query,
        headers: { host: url.host, accept: 'application/json' },
      }),
    );
    const { host: _host, ...headers } = signed.headers;
    return { url, headers };
  }
}

export interface SigningProxyOptions {
  readonly signer: KpiApiSigner;
  readonly page: DashboardPage;
  /** Whether a request's Host header names this proxy (127.0.0.1 or localhost and its port). */
  readonly isOwnHost: (host: string | undefined) => boolean;
  /** Called with the API's message when it answers 403 (no credentials of use, or no permission). */
  readonly onForbidden?: (path: string, message: string) => void;
  /** How long to wait for the API; API Gateway itself gives up after 29 s. @default 35000 */
  readonly timeoutMs?: number;
}

/**
 * `npm run dashboard`: the dashboard page at `/` and every other GET forwarded to the deployed
 * KPI API, signed with the caller's AWS credentials, so the browser never holds a credential.
 * It answers only requests addressed to itself by name (a page of another site that rebinds a
 * DNS name to 127.0.0.1 gets a 403, not signed KPIs).
 */
export function createSigningProxy(options: SigningProxyOptions): Hono {
  const app = new Hono();
  app.onError(onError);
  app.notFound(onNotFound);
  app.use(async (c, next) => {
    if (!options.isOwnHost(c.req.header('host'))) {
      return c.json({ message: 'The dashboard proxy answers only requests to its own address' }, 403);
    }
    return next();
  });
  app.use(dashboardRoute(options.page));
  app.get('*', async (c) => {
    const url = new URL(c.req.url);
    let signed: SignedRequest;
    try {
      signed = await options.signer.sign(`${url.pathname}${url.search}`);
    } catch (err) {
      return c.json(
        { message: `Could not sign the request with your AWS credentials: ${(err as Error).message}` },
        502,
      );
    }
    let response: Response;
    try {
      response = await fetch(signed.url, {
        headers: signed.headers,
        signal: AbortSignal.timeout(options.timeoutMs ?? 35_000),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError';
      return c.json(
        {
          message: timedOut
            ? `The KPI API at ${signed.url.host} did not answer in time`
            : `Could not reach the KPI API at ${signed.url.host}: ${(err as Error).message}`,
        },
        timedOut ? 504 : 502,
      );
    }
    const body = await response.arrayBuffer();
    if (response.status === 403) options.onForbidden?.(url.pathname, forbiddenMessage(body));
    return new Response(body, {
      status: response.status,
      headers: {
        'content-type': response.headers.get('content-type') ?? 'application/json',
        'cache-control': 'no-store',
      },
    });
  });
  app.all('*', (c) =>
    c.json({ message: `The dashboard proxy forwards only GET requests, not ${c.req.method}` }, 405),
  );
  return app;
}

/** The `message` of an API Gateway 403 body, or the body itself. */
export function forbiddenMessage(body: ArrayBuffer): string {
  const text = new TextDecoder().decode(body);
  try {
    const message = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself
  }
  return text.trim() || '(no message)';
}
