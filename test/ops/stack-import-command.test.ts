import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand,
  DescribeMapRunCommand,
  ListMapRunsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { NO_COUNTS } from '../../lambdas/import/import-counts';
import type { ImportRunSummary } from '../../lambdas/import/import-run-summary';
import { CliError } from '../../local/cli/cli-error';
import { runStackImport, type StackImportOptions } from '../../ops/stack-import-command';

const cloudFormation = mockClient(CloudFormationClient);
const sfn = mockClient(SFNClient);
const MACHINE = 'arn:aws:states:eu-west-1:111122223333:stateMachine:Import';
const EXECUTION = 'arn:aws:states:eu-west-1:111122223333:execution:Import:import-1';
const MAP_RUN = 'arn:aws:states:eu-west-1:111122223333:mapRun:Import/ImportObjects:1';

const summary: ImportRunSummary = {
  ...NO_COUNTS,
  files: 3,
  bytes: 3 * 1_048_576,
  imported: 4200,
  skipped: { '_email.send': 7 },
  rejected: {
    bad: {
      count: 2,
      example: {
        file: 's3://exports/a.gz',
        position: 'record 9 at byte 10',
        reason: 'event_type is required',
      },
    },
  },
  run: 'import-1',
  failedObjects: 1,
  failures: [{ source: 's3://exports/c.gz', error: 'FAILED: States.TaskFailed' }],
  reports: 's3://lake/import-reports/import-1/',
};

function stack(outputs: Record<string, string>) {
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'kpi',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
}

async function run(overrides: Partial<StackImportOptions> = {}) {
  let out = '';
  let progress = '';
  await runStackImport({
    stack: 'kpi',
    sources: ['s3://exports/pinpoint/2019/'],
    appMap: new Map([['0123', 'game']]),
    dryRun: false,
    concurrency: 4,
    progress: { isTTY: false, write: (t: string) => (progress += t) },
    out: { write: (t: string) => (out += t) },
    clients: { cloudFormation: new CloudFormationClient({}), sfn: new SFNClient({}) },
    sleep: async () => undefined,
    now: () => Date.parse('2026-01-02T03:04:05.678Z'),
    ...overrides,
  });
  return { out, progress };
}

beforeEach(() => {
  cloudFormation.reset();
  sfn.reset();
  stack({ ImportStateMachineArn: MACHINE, ImportSources: 's3://exports/pinpoint/,s3://other/' });
  sfn.on(StartExecutionCommand).resolves({ executionArn: EXECUTION, startDate: new Date() });
  sfn.on(ListMapRunsCommand).resolves({
    mapRuns: [
      { mapRunArn: MAP_RUN, executionArn: EXECUTION, stateMachineArn: MACHINE, startDate: new Date() },
    ],
  });
  sfn.on(DescribeMapRunCommand).resolves({
    itemCounts: {
      total: 3,
      succeeded: 2,
      failed: 1,
      pending: 0,
      running: 0,
      timedOut: 0,
      aborted: 0,
      resultsWritten: 3,
    },
  } as never);
  sfn
    .on(DescribeExecutionCommand)
    .resolvesOnce({
      status: 'RUNNING',
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      startDate: new Date(),
    })
    .resolves({
      status: 'SUCCEEDED',
      output: JSON.stringify(summary),
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      startDate: new Date(),
    });
});

describe('npm run import -- --stack', () => {
  it('starts the state machine on the prefix with the run settings', async () => {
    await run();
    const [start] = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input);
    expect(start?.stateMachineArn).toBe(MACHINE);
    expect(start?.name).toBe('import-2026-01-02T03-04-05-678Z');
    expect(JSON.parse(start?.input ?? '')).toEqual({
      bucket: 'exports',
      prefix: 'pinpoint/2019/',
      run: 'import-2026-01-02T03-04-05-678Z',
      resultsPrefix: 'import-reports/import-2026-01-02T03-04-05-678Z/map',
      appMap: ['0123=game'],
      dryRun: false,
      concurrency: 4,
    });
  });

  it('follows the Map run until the execution ends, then prints the summary', async () => {
    const { out } = await run();
    expect(sfn.commandCalls(DescribeMapRunCommand).length).toBeGreaterThan(0);
    expect(out).toContain('Sent 4,200 events from 3 objects (3.0 MiB) to the delivery stream');
    expect(out).toContain('duplicates of events already in the lake: not looked up');
    expect(out).toContain('        7  _email.send');
    expect(out).toContain('        2  event_type is required');
    expect(out).toContain('s3://exports/c.gz: FAILED: States.TaskFailed');
    expect(out).toContain('reports: s3://lake/import-reports/import-1/');
  });

  it('refuses a location outside the configured sources, before starting anything', async () => {
    await expect(run({ sources: ['s3://elsewhere/x/'] })).rejects.toThrow(
      new CliError(
        's3://elsewhere/x/ is not among the locations the stack kpi may read (s3://exports/pinpoint/, s3://other/); add it with npx cdk deploy -c importSources=...',
      ),
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('says how to add the import to a stack deployed without it', async () => {
    cloudFormation.reset();
    stack({ LakeBucketName: 'lake' });
    await expect(run()).rejects.toThrow(
      /has no import state machine; deploy it with -c importSources=exports\/pinpoint\/2019\//,
    );
  });

  it("names a stack it cannot read with AWS's words, as the other stack commands do", async () => {
    cloudFormation.reset();
    cloudFormation
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id kpi does not exist'), { name: 'ValidationError' }));
    await expect(run()).rejects.toThrow(
      new CliError('Cannot read stack kpi: ValidationError: Stack with id kpi does not exist'),
    );
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('reports a run that failed with its error', async () => {
    sfn.on(DescribeExecutionCommand).resolves({
      status: 'FAILED',
      error: 'States.ResultWriterFailed',
      cause: 'Access denied',
      executionArn: EXECUTION,
      stateMachineArn: MACHINE,
      startDate: new Date(),
    });
    await expect(run()).rejects.toThrow(/ended FAILED: States.ResultWriterFailed Access denied/);
  });
});
