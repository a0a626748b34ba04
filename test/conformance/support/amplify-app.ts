import { flushEvents, record } from 'aws-amplify/analytics';
import { configureAmplifyPinpoint, redirectPinpointFetch } from './amplify-pinpoint';

/**
 * An app using Amplify Analytics, as a child process of a test:
 * `node --import tsx amplify-app.ts <url> <appId> <event names as JSON>`. It records the events,
 * flushes, and prints `{"unhandled": [...]}`, the rejections Amplify left unhandled (a failed
 * UpdateEndpoint is one), once one arrives or after 8 s. A process of its own keeps Amplify's
 * module state, its never-cleared interval and its unhandled rejections out of the test runner.
 */

const [url = '', appId = '', names = '[]'] = process.argv.slice(2);
const unhandled: { name?: string; message?: string; status?: number }[] = [];

function finish(): void {
  process.stdout.write(JSON.stringify({ unhandled }));
  process.exit(0);
}

process.on('unhandledRejection', (reason) => {
  const err = reason as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  unhandled.push({ name: err.name, message: err.message, status: err.$metadata?.httpStatusCode });
  finish();
});
redirectPinpointFetch(url);
configureAmplifyPinpoint(appId, 100);
for (const name of JSON.parse(names) as string[]) record({ name });
flushEvents();
setTimeout(finish, 8_000);
