import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** An HTTP call to an API Gateway URL, answered with the fetch `Response`. */
export type HttpCall = (
  url: string,
  init: {
    readonly method: 'GET' | 'POST';
    readonly body?: string;
    readonly headers?: Record<string, string>;
  },
) => Promise<Response>;

export interface SignedFetchOptions {
  /** The AWS credentials that sign: the default chain in the commands, fixed ones in tests. */
  readonly credentials: ConstructorParameters<typeof SignatureV4>[0]['credentials'];
  /** Used when the URL does not name its region (a custom domain). @default - the URL's */
  readonly region?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Calls signed with SigV4 for `execute-api`, as API Gateway's IAM authorisation expects (the
 * ingest doors with `ingestAuth=iam`, the KPI API always); the region comes from the API's
 * host name. Unsigned doors (`apiKey`, `none`) accept a signed call all the same.
 */
export function signedFetch(options: SignedFetchOptions): HttpCall {
  const send = options.fetch ?? globalThis.fetch;
  return async (url, init) => {
    const target = new URL(url);
    const region = EXECUTE_API_HOST.exec(target.hostname)?.[1] ?? options.region;
    if (region === undefined)
      throw new Error(`Cannot tell the AWS region of ${target.hostname}; give --region`);
    const signer = new SignatureV4({
      service: 'execute-api',
      region,
      credentials: options.credentials,
      sha256: Hash.bind(null, 'sha256'),
    });
    const signed = await signer.sign({
      method: init.method,
      protocol: target.protocol,
      hostname: target.hostname,
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { ...init.headers, host: target.host },
      body: init.body,
    });
    // fetch sets Host from the URL itself, to the value that was signed.
    const { host: _, ...headers } = signed.headers;
    return send(url, { method: init.method, headers, body: init.body });
  };
}
