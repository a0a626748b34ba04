import type { Server } from 'node:http';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { createAdaptorServer } from '@hono/node-server';
import { DashboardPage } from '../dashboard/dashboard-page';
import { createSigningProxy, forbiddenMessage, KpiApiSigner } from '../dashboard/signing-proxy';
import { listen } from '../server/listen';
import { CliError } from './cli-error';
import { DASHBOARD_USAGE, type DashboardConfig, parseDashboardCommand } from './dashboard-config';
import { exitWithError } from './run-cli';

const HOST = '127.0.0.1';

/** The credentials of the default chain (or a profile), resolved once now, so a missing one stops the start with one line. */
async function credentialsOf(config: DashboardConfig) {
  const provider = fromNodeProviderChain(config.profile ? { profile: config.profile } : {});
  try {
    await provider();
  } catch (err) {
    const where = config.profile ? `profile ${config.profile}` : 'the default credential chain';
    throw new CliError(
      `No AWS credentials found in ${where} (${(err as Error).message.split('\n')[0]}); sign in (aws configure, aws sso login) or choose one with --profile`,
    );
  }
  return provider;
}

/** One signed GET /apps before serving: a wrong URL, an unreachable API or a 403 stops the start with one line. */
async function probe(signer: KpiApiSigner, config: DashboardConfig): Promise<void> {
  const signed = await signer.sign('/apps');
  let response: Response;
  try {
    response = await fetch(signed.url, { headers: signed.headers, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new CliError(
      `Cannot reach the KPI API at ${config.api.href}: ${(err as Error).message}; check --api`,
    );
  }
  const body = await response.arrayBuffer();
  if (response.status === 403) {
    throw new CliError(
      `The KPI API answered 403 Forbidden to GET /apps: ${forbiddenMessage(body)}. Check --api (the stack's KpiApiUrl) and --region, and that your credentials may invoke it (attach the stack's KpiReadPolicyArn)`,
    );
  }
  if (!response.ok) {
    process.stderr.write(
      `Warning: the KPI API answered ${response.status} to GET /apps: ${forbiddenMessage(body)}\n`,
    );
  }
}

/**
 * `npm run dashboard -- --api <KpiApiUrl>`: the dashboard for a deployed stack, on 127.0.0.1,
 * with every KPI call signed here (SigV4 for execute-api) with the default credential chain.
 */
async function main(): Promise<void> {
  const command = parseDashboardCommand(process.argv.slice(2), process.env);
  if (command.help) {
    process.stdout.write(`${DASHBOARD_USAGE}\n`);
    return;
  }
  const { config } = command;
  const page = new DashboardPage('deployed');
  const credentials = await credentialsOf(config);
  const signer = new KpiApiSigner({ api: config.api, region: config.region, credentials });
  await probe(signer, config);
  let port = config.port;
  const told = new Set<string>();
  const app = createSigningProxy({
    signer,
    page,
    isOwnHost: (host) => host === `${HOST}:${port}` || host === `localhost:${port}`,
    onForbidden: (path, message) => {
      if (told.has(message)) return;
      told.add(message);
      process.stderr.write(`The KPI API answered 403 Forbidden to GET ${path}: ${message}\n`);
    },
  });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  port = await listen(server, config.port, HOST);
  await page.page();
  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping\n`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdout.write(
    `Dashboard on http://${HOST}:${port} for the KPI API ${config.api.href} (${config.region}${config.profile ? `, profile ${config.profile}` : ''}); Ctrl-C stops it\n`,
  );
}

main().catch(exitWithError);
