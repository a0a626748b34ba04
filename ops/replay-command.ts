import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { S3Client } from '@aws-sdk/client-s3';
import { parseDay } from '../lambdas/core/calendar-day';
import { lakeWindow } from '../lambdas/core/lake-window';
import { FirehoseSink } from '../lambdas/ingest/firehose-sink';
import { CliError } from '../local/cli/cli-error';
import { parseFlags } from '../local/cli/cli-flags';
import type { CommandIo, ExitCode } from './command-io';
import { formatReplaySummary, replayErrors } from './replay-errors';
import { STACK_FLAGS, type StackTarget, stackTarget } from './stack-flags';
import { readStackOutputs } from './stack-outputs';

export const REPLAY_USAGE = `Usage: npm run replay -- --stack <name> [--since YYYY-MM-DD] [--dry-run] [--region <region>]

Sends the records Firehose kept under the lake bucket's errors/ prefix (partition quota
exceeded, transformer or Parquet conversion failures) to the delivery stream again, after
normalising each one as the transformer does. An error object is deleted once all its records
are sent; records that still cannot be stored are listed with the reason and kept. Sending a
record twice is harmless: the KPIs count each event once. Uses your AWS credentials (the
default chain: environment, profile, SSO, instance role).

Options:
  --stack <name>       the deployed stack (its prefix, e.g. mobile-kpi)
  --since <day>        only error objects written on or after this UTC day
  --dry-run            read and check, send and delete nothing
  --region <region>    the stack's region (default: your AWS configuration's)
  --help               show this help

Exit code: 0 everything replayed, 2 some records not replayed (listed), 1 the command failed.`;

export interface ReplayCommand extends StackTarget {
  readonly since?: string;
  readonly dryRun: boolean;
}

/** The command's flags; a missing or malformed one is a CliError naming it. */
export function parseReplayCommand(argv: readonly string[]): ReplayCommand | 'help' {
  const flags = parseFlags(
    argv,
    { ...STACK_FLAGS, since: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    'npm run replay --',
  );
  if (flags.help) return 'help';
  const target = stackTarget(flags);
  const since = flags.since;
  if (since !== undefined && (typeof since !== 'string' || parseDay(since) === undefined)) {
    throw new CliError(`--since must be a calendar day YYYY-MM-DD; got ${JSON.stringify(since)}`);
  }
  return { ...target, since: since as string | undefined, dryRun: flags['dry-run'] === true };
}

/** `npm run replay`: finds the stack's bucket and stream, replays, prints the summary. */
export async function runReplay(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const command = parseReplayCommand(argv);
  if (command === 'help') {
    io.stdout.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  const region = command.region === undefined ? {} : { region: command.region };
  const outputs = await readStackOutputs(new CloudFormationClient(region), command.stack, [
    'LakeBucketName',
    'DeliveryStreamName',
    'LakeStartDate',
  ]);
  const summary = await replayErrors({
    s3: new S3Client(region),
    // The doors' own sink: batches within PutRecordBatch's limits, resends only the failed entries.
    sink: new FirehoseSink({
      deliveryStreamName: outputs.DeliveryStreamName,
      client: new FirehoseClient({ ...region, maxAttempts: 1 }),
      retryBudgetMs: 60_000,
    }),
    bucket: outputs.LakeBucketName,
    lake: lakeWindow(outputs.LakeStartDate),
    since: command.since,
    dryRun: command.dryRun,
    progress: io.stderr,
  });
  io.stdout.write(formatReplaySummary(summary));
  return summary.notReplayed.length > 0 ? 2 : 0;
}
