import { CliError } from './cli-error';
import { given, integerIn, parseFlags, textOr } from './cli-flags';

/** How `npm run dashboard` runs; read once, from flags, then environment variables, then defaults. */
export interface DashboardConfig {
  /** The deployed KPI API: the stack's `KpiApiUrl` output (`--api`, `KPI_API_URL`). */
  readonly api: URL;
  /** The region the API is in, for the signature. @default from the API's host name, else AWS_REGION (`--region`) */
  readonly region: string;
  /** A profile of the AWS config files. @default the default credential chain's choice (`--profile`, `AWS_PROFILE`) */
  readonly profile?: string;
  /** Port on 127.0.0.1; 0 picks a free one. @default 3001 (`--port`, `DASHBOARD_PORT`) */
  readonly port: number;
}

export const DASHBOARD_USAGE = `Usage: npm run dashboard -- --api <KpiApiUrl> [options]

Serves the dashboard on 127.0.0.1 for a deployed stack, forwarding its KPI calls to the stack's
KPI API signed with your AWS credentials (SigV4, the default credential chain). The credentials
stay in this process; the browser never sees them.

Options (flag, else environment variable, else default):
  --api <url>         KPI_API_URL     the stack's KpiApiUrl output (required)
  --region <region>                   the API's region   (default: from the URL, else AWS_REGION)
  --profile <name>    AWS_PROFILE     the AWS profile to sign with   (default: the credential chain's)
  --port <n>          DASHBOARD_PORT  port on 127.0.0.1, 0 for any free one   (default 3001)
  --help                              show this help`;

export type DashboardCommand =
  | { readonly help: true }
  | { readonly help: false; readonly config: DashboardConfig };

/** `<id>.execute-api.<region>.amazonaws.com` (and .com.cn): the region of an API Gateway URL. */
const EXECUTE_API_HOST = /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Reads the command's configuration; a bad or missing value is a CliError naming the flag. */
export function parseDashboardCommand(argv: readonly string[], env: NodeJS.ProcessEnv): DashboardCommand {
  const flags = parseFlags(
    argv,
    {
      api: { type: 'string' },
      region: { type: 'string' },
      profile: { type: 'string' },
      port: { type: 'string' },
      help: { type: 'boolean' },
    },
    'npm run dashboard --',
  );
  if (flags.help) return { help: true };
  const apiGiven = given(flags, 'api', { name: 'KPI_API_URL', value: env.KPI_API_URL });
  if (apiGiven === undefined) {
    throw new CliError(
      '--api is required: the KpiApiUrl output of the deployed stack (npx cdk deploy prints it)',
    );
  }
  let api: URL;
  try {
    api = new URL(apiGiven.value);
  } catch {
    throw new CliError(
      `${apiGiven.source} must be a URL such as https://abc123.execute-api.eu-west-1.amazonaws.com/prod/; got ${JSON.stringify(apiGiven.value)}`,
    );
  }
  if (api.protocol !== 'https:' && api.protocol !== 'http:') {
    throw new CliError(`${apiGiven.source} must be an https URL; got ${JSON.stringify(apiGiven.value)}`);
  }
  const regionGiven =
    given(flags, 'region') ??
    (EXECUTE_API_HOST.exec(api.hostname)
      ? { value: EXECUTE_API_HOST.exec(api.hostname)?.[1] ?? '', source: '--api' }
      : undefined) ??
    given({}, 'region', { name: 'AWS_REGION', value: env.AWS_REGION ?? env.AWS_DEFAULT_REGION });
  if (regionGiven === undefined) {
    throw new CliError(
      `Cannot tell the region of ${api.host}; give it with --region (e.g. --region eu-west-1)`,
    );
  }
  if (!REGION.test(regionGiven.value)) {
    throw new CliError(
      `${regionGiven.source} must name an AWS region such as eu-west-1; got ${JSON.stringify(regionGiven.value)}`,
    );
  }
  const profile = given(flags, 'profile');
  return {
    help: false,
    config: {
      api,
      region: regionGiven.value,
      ...(profile ? { profile: textOr(profile, '') } : {}),
      port: integerIn(
        given(flags, 'port', { name: 'DASHBOARD_PORT', value: env.DASHBOARD_PORT }),
        3001,
        0,
        65535,
      ),
    },
  };
}
