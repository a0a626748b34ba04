import { Amplify } from 'aws-amplify';
import { ConsoleLogger } from 'aws-amplify/utils';

const PINPOINT_HOST = /^pinpoint\.[a-z0-9-]+\.amazonaws\.com$/;

/**
 * Sends Amplify's Pinpoint requests to `url` instead, with `headers` added (an API key): Amplify
 * v6 has no endpoint setting (its Pinpoint URL is `https://pinpoint.<region>.amazonaws.com`,
 * whose path it replaces) and calls the global `fetch` at each request, so an app wraps `fetch`
 * the same way. Returns the undo.
 */
export function redirectPinpointFetch(url: string, headers: Record<string, string> = {}): () => void {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input: string | URL | Request, init?: RequestInit) => {
    const target = new URL(input instanceof Request ? input.url : input.toString());
    if (!PINPOINT_HOST.test(target.hostname)) return realFetch(input, init);
    // A failed fetch rejects with a TypeError, which Amplify recognises with `instanceof` to retry
    // it; under jest, Node's fetch and the test run in different realms, so it is made again here.
    const sent = new Headers(init?.headers);
    for (const [name, value] of Object.entries(headers)) sent.set(name, value);
    return realFetch(new URL(target.pathname + target.search, url), { ...init, headers: sent }).catch(
      (err: Error) => {
        throw new TypeError(err.message, { cause: err });
      },
    );
  };
  return () => {
    globalThis.fetch = realFetch;
  };
}

/**
 * Configures Amplify Analytics with the Pinpoint provider for `appId`, as an app without Cognito
 * would: any credentials (the doors do not check a Pinpoint signature), flushed every
 * `flushInterval` ms.
 */
export function configureAmplifyPinpoint(appId: string, flushInterval: number): void {
  ConsoleLogger.LOG_LEVEL = 'ERROR'; // the Pinpoint provider warns that it is deprecated, once per API
  Amplify.configure(
    { Analytics: { Pinpoint: { appId, region: 'us-east-1', flushInterval } } },
    {
      Auth: {
        credentialsProvider: {
          getCredentialsAndIdentityId: async () => ({
            credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'local' },
            identityId: 'us-east-1:00000000-0000-0000-0000-000000000001',
          }),
          clearCredentialsAndIdentityId: () => undefined,
        },
      },
    },
  );
}
