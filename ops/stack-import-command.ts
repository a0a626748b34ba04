import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { type ImportCounts, summaryLines } from '../lambdas/import/import-counts';
import { importReportPrefix, importRunId } from '../lambdas/import/import-report';
import type { FailedObject, ImportRunSummary } from '../lambdas/import/import-run-summary';
import { CliError } from '../local/cli/cli-error';
import { ProgressBar, type ProgressOutput } from '../local/cli/progress-bar';
import type { StackTarget } from './stack-flags';
import { readStackOutputs } from './stack-outputs';

export interface StackImportOptions extends StackTarget {
  /** The one `s3://bucket/prefix/` to import. */
  readonly sources: readonly string[];
  readonly appMap: ReadonlyMap<string, string>;
  readonly dryRun: boolean;
  /** Objects read at once (the Map's MaxConcurrency). */
  readonly concurrency: number;
  readonly progress: ProgressOutput;
  readonly out: { write(text: string): unknown };
  /** @default clients for the stack's region and the environment's credentials */
  readonly clients?: { readonly cloudFormation: CloudFormationClient; readonly sfn: SFNClient };
  /** @default 5000 */
  readonly pollMs?: number;
  /** @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Date.now */
  readonly now?: () => number;
}

const number = (n: number) => n.toLocaleString('en-US');
const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

function parseS3Url(url: string): { bucket: string; prefix: string } {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!match?.[1]) throw new CliError(`${url} is not an S3 location; give it as s3://bucket/prefix/`);
  return { bucket: match[1], prefix: match[2] ?? '' };
}

/** The summary lines of a finished run. */
export function runSummaryLines(summary: ImportRunSummary, dryRun: boolean): string[] {
  const counts: ImportCounts = summary;
  const objects = `${number(counts.files)} object${counts.files === 1 ? '' : 's'} (${mib(counts.bytes)})`;
  const head = dryRun
    ? `Dry run: ${number(counts.imported)} events in ${objects}; nothing was sent`
    : `Sent ${number(counts.imported)} events from ${objects} to the delivery stream`;
  const lines = [head, ...summaryLines(counts, { duplicatesCounted: false })];
  if (summary.failedObjects > 0) {
    lines.push(
      `  objects that failed (run the same import again to retry them): ${number(summary.failedObjects)}`,
    );
    for (const failure of summary.failures as FailedObject[])
      lines.push(`    ${failure.source}: ${failure.error}`);
  }
  lines.push(`  reports: ${summary.reports} (summary.json, rejected/)`);
  return lines;
}

/**
 * `npm run import -- --stack NAME s3://bucket/prefix/`: starts the stack's import state machine
 * on the prefix (after checking it is among the configured sources), shows the Map run's
 * progress over objects (DescribeMapRun item counts) and prints the summary the run's last
 * step returns.
 */
export async function runStackImport(options: StackImportOptions): Promise<void> {
  if (options.sources.length !== 1) {
    throw new CliError(`With --stack, give one s3://bucket/prefix/ to import; got ${options.sources.length}`);
  }
  const url = options.sources[0] as string;
  const { bucket, prefix } = parseS3Url(url);
  const region = options.region === undefined ? {} : { region: options.region };
  const cloudFormation = options.clients?.cloudFormation ?? new CloudFormationClient(region);
  const sfn = options.clients?.sfn ?? new SFNClient(region);
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));
  const outputs = await readStackOutputs(
    cloudFormation,
    options.stack,
    [],
    ['ImportStateMachineArn', 'ImportSources'],
  );
  const stateMachineArn = outputs.ImportStateMachineArn;
  if (!stateMachineArn) {
    throw new CliError(
      `The stack ${options.stack} has no import state machine; deploy it with -c importSources=${bucket}/${prefix}`,
    );
  }
  const allowed = (outputs.ImportSources ?? '').split(',').filter(Boolean);
  const location = `s3://${bucket}/${prefix}`;
  if (!allowed.some((source) => location.startsWith(source))) {
    throw new CliError(
      `${url} is not among the locations the stack ${options.stack} may read (${allowed.join(', ') || 'none'}); add it with npx cdk deploy -c importSources=...`,
    );
  }
  const run = importRunId((options.now ?? Date.now)());
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({
      stateMachineArn,
      name: run,
      input: JSON.stringify({
        bucket,
        prefix,
        run,
        resultsPrefix: `${importReportPrefix(run)}map`,
        appMap: [...options.appMap].map(([from, to]) => `${from}=${to}`),
        dryRun: options.dryRun,
        concurrency: options.concurrency,
      }),
    }),
  );
  options.progress.write(`Started ${run} on ${url}\n`);
  let bar: ProgressBar | undefined;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const mapRunArn = (await sfn.send(new ListMapRunsCommand({ executionArn }))).mapRuns?.[0]?.mapRunArn;
    if (mapRunArn) {
      const { itemCounts } = await sfn.send(new DescribeMapRunCommand({ mapRunArn }));
      const total = itemCounts?.total ?? 0;
      const done =
        (itemCounts?.succeeded ?? 0) +
        (itemCounts?.failed ?? 0) +
        (itemCounts?.timedOut ?? 0) +
        (itemCounts?.aborted ?? 0);
      bar ??= new ProgressBar(options.progress, 'Importing', total);
      bar.update(
        done,
        `${number(done)} of ${number(total)} objects, ${number(itemCounts?.failed ?? 0)} failed`,
      );
    }
    if (execution.status === 'SUCCEEDED') {
      bar?.finish(`Finished ${run}`);
      const summary = JSON.parse(execution.output ?? '{}') as ImportRunSummary;
      options.out.write(`${runSummaryLines(summary, options.dryRun).join('\n')}\n`);
      return;
    }
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') {
      throw new CliError(
        `The import ${run} ended ${execution.status}: ${execution.error ?? ''} ${execution.cause ?? ''}`.trim(),
      );
    }
    await sleep(options.pollMs ?? 5000);
  }
}
