import AWS from 'aws-sdk';

type Listener = (request: AWS.Request<unknown, AWS.AWSError>) => void;

/** `AWS.events`: the v2 SDK's global request listeners (documented in its lib/core.js; not in its TypeScript types). */
const globalEvents = (
  AWS as unknown as {
    events: {
      on(event: 'build', listener: Listener): void;
      removeListener(event: 'build', listener: Listener): void;
    };
  }
).events;

/**
 * Adds `x-api-key` to every request the v2 SDK sends (and so the Mobile Analytics JS SDK, which
 * sends through it), as an app does for `ingestAuth=apiKey`: v2 cannot sign for `execute-api`.
 * Returns the undo.
 */
export function sendApiKeyWithV2Requests(apiKey: string): () => void {
  const addApiKey: Listener = (request) => {
    request.httpRequest.headers['x-api-key'] = apiKey;
  };
  globalEvents.on('build', addApiKey);
  return () => globalEvents.removeListener('build', addApiKey);
}
