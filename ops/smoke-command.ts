import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { isValidAppId } from '../lambdas/core/identifiers';
import { CliError } from '../local/cli/cli-error';
import { given, integerIn, parseFlags } from '../local/cli/cli-flags';
import type { CommandIo, ExitCode } from './command-io';
import { type HttpCall, signedFetch } from './signed-fetch';
import { smokeTest } from './smoke-test';
import { STACK_FLAGS, type StackTarget, stackTarget } from './stack-flags';
import { readStackOutputs } from './stack-outputs';

export const SMOKE_USAGE = `Usage: npm run smoke -- --stack <name> [--app <id>] [--api-key <key>] [--timeout <seconds>] [--region <region>]

Checks a deployed stack end to end: asks the KPI API for an app's DAU today, sends one signed
_session.start of a new client through the Pinpoint door, waits for Firehose's buffer and asks
again until the client is counted. Prints what worked and, for what did not, the exact answer
or AWS error. Signs with your AWS credentials (the default chain), which need execute-api:Invoke
on both APIs (e.g. the stack's KpiReadPolicyArn and IngestInvokePolicyArn), and read access to
the stream's description and the bucket's errors/ prefix for the diagnosis.

Options:
  --stack <name>        the deployed stack (its prefix, e.g. mobile-kpi)
  --app <id>            the app the test event counts in              (default smoke-test)
                        (with ingestAuth=none it must be one of ingestAllowedApps)
  --api-key <key>       the doors' API key, with ingestAuth=apiKey
  --timeout <seconds>   how long to wait for the event to be counted  (default 1.5 × buffer + 300)
  --region <region>     the stack's region (default: your AWS configuration's)
  --help                show this help

Exit code: 0 everything worked, 2 something did not (the report says what), 1 the command failed.`;

export interface SmokeCommand extends StackTarget {
  readonly appId: string;
  readonly apiKey?: string;
  readonly timeoutMs?: number;
}

export function parseSmokeCommand(argv: readonly string[]): SmokeCommand | 'help' {
  const flags = parseFlags(
    argv,
    { ...STACK_FLAGS, app: { type: 'string' }, 'api-key': { type: 'string' }, timeout: { type: 'string' } },
    'npm run smoke --',
  );
  if (flags.help) return 'help';
  const target = stackTarget(flags);
  const appId = (flags.app as string | undefined) ?? 'smoke-test';
  if (!isValidAppId(appId)) throw new CliError(`--app must be an app id; got ${JSON.stringify(appId)}`);
  const timeout = given(flags, 'timeout');
  return {
    ...target,
    appId,
    apiKey: flags['api-key'] as string | undefined,
    timeoutMs: timeout === undefined ? undefined : integerIn(timeout, 0, 1, 86_400) * 1000,
  };
}

export interface SmokeDeps {
  /** Signed HTTP calls. @default SigV4 with the default credential chain */
  readonly http?: HttpCall;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

/** `npm run smoke`: finds the stack's APIs, stream and bucket, and runs the smoke test. */
export async function runSmoke(
  argv: readonly string[],
  io: CommandIo,
  deps: SmokeDeps = {},
): Promise<ExitCode> {
  const command = parseSmokeCommand(argv);
  if (command === 'help') {
    io.stdout.write(`${SMOKE_USAGE}\n`);
    return 0;
  }
  const region = command.region === undefined ? {} : { region: command.region };
  const stack = await readStackOutputs(
    new CloudFormationClient(region),
    command.stack,
    ['IngestApiUrl', 'KpiApiUrl', 'DeliveryStreamName', 'LakeBucketName'],
    ['IngestApiKeyId'],
  );
  const passed = await smokeTest({
    stack,
    http: deps.http ?? signedFetch({ credentials: defaultProvider(), region: command.region }),
    firehose: new FirehoseClient(region),
    s3: new S3Client(region),
    appId: command.appId,
    apiKey: command.apiKey,
    timeoutMs: command.timeoutMs,
    sleep: deps.sleep,
    now: deps.now,
    report: (line) => io.stdout.write(`${line}\n`),
  });
  return passed ? 0 : 2;
}
