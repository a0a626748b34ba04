import type { LocalServer } from '../server/local-server';
import { exitWithError } from './run-cli';
import { parseServerCommand, SERVER_USAGE } from './server-config';
import { startupBanner } from './startup-banner';

/**
 * `npm start`: reads the configuration once, starts the local server, prints where it listens,
 * and shuts down gracefully on SIGINT or SIGTERM (exit 0). Problems the user can fix are one
 * line on stderr and exit code 1.
 */
async function main(): Promise<void> {
  const started = performance.now();
  const command = parseServerCommand(process.argv.slice(2), process.env);
  if (command.help) {
    process.stdout.write(`${SERVER_USAGE}\n`);
    return;
  }
  // There is no CloudWatch locally: the ingest doors' EMF metrics would only clutter stdout.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  const { startLocalServer } = await import('../server/local-server');
  const server: LocalServer = await startLocalServer({ ...command.config, progress: process.stderr });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`${signal}: finishing requests in flight, then stopping\n`);
    server.close().then(
      () => process.exit(0),
      (err: unknown) => exitWithError(err),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stderr.write(`Listening on ${server.url}; preparing the lake in ${server.dataDir}\n`);
  try {
    await server.ready;
  } catch (err) {
    if (stopping) return;
    throw err;
  }
  const readyMs = performance.now() - started;
  process.stdout.write(startupBanner({ url: server.url, dataDir: server.dataDir, readyMs, now: Date.now() }));
}

main().catch(exitWithError);
