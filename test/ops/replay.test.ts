import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  FirehoseClient,
  PutRecordBatchCommand,
  type PutRecordBatchCommandInput,
  ResourceNotFoundException,
} from '@aws-sdk/client-firehose';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { CliError } from '../../local/cli/cli-error';
import { parseReplayCommand, runReplay } from '../../ops/replay-command';
import legacy from '../ingest/fixtures/legacy-monetization.json';
import appEvent from '../ingest/fixtures/stream-app-event.json';

const cloudFormation = mockClient(CloudFormationClient);
const s3 = mockClient(S3Client);
const firehose = mockClient(FirehoseClient);

const BUCKET = 'lake-bucket';
const STREAM = 'mobile-kpi-events';
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
const doc = (record: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    attemptsMade: 4,
    arrivalTimestamp: appEvent.arrival_timestamp,
    errorCode: 'E',
    rawData: base64(record),
    ...extra,
  });

/** Three error objects: two fully replayable, one with a record that is still not storable and one that is not a record. */
const OBJECTS: Record<string, { modified: string; body: string }> = {
  'errors/processing-failed/2026/03/01/a': {
    modified: '2026-03-01T10:00:00Z',
    body: `${doc({ ...appEvent, event_id: 'a-1' })}\n${doc(legacy)}\n`,
  },
  'errors/format-conversion-failed/2026/03/02/b': {
    modified: '2026-03-02T10:00:00Z',
    body: doc(
      { ...appEvent, event_id: 'b-1' },
      { errorCode: undefined, lastErrorCode: 'DataFormatConversion.MalformedData' },
    ),
  },
  'errors/processing-failed/2026/03/03/c': {
    modified: '2026-03-03T10:00:00Z',
    body: `${doc({ ...appEvent, event_id: 'c-1' })}${doc({ ...appEvent, event_timestamp: Date.UTC(2013, 11, 31) })}{"rawData":"${Buffer.from('oops').toString('base64')}"}`,
  },
};

function stack(outputs: Record<string, string> = {}) {
  cloudFormation.on(DescribeStacksCommand, { StackName: 'mobile-kpi' }).resolves({
    Stacks: [
      {
        StackName: 'mobile-kpi',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries({
          LakeBucketName: BUCKET,
          DeliveryStreamName: STREAM,
          LakeStartDate: '2014-01-01',
          ...outputs,
        }).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
}

let sent: string[];

beforeEach(() => {
  cloudFormation.reset();
  s3.reset();
  firehose.reset();
  stack();
  s3.on(ListObjectsV2Command, { Bucket: BUCKET, Prefix: 'errors/' }).resolves({
    Contents: Object.entries(OBJECTS).map(([Key, o]) => ({ Key, LastModified: new Date(o.modified) })),
  });
  for (const [Key, o] of Object.entries(OBJECTS)) {
    s3.on(GetObjectCommand, { Bucket: BUCKET, Key }).resolves({
      Body: { transformToByteArray: async () => new Uint8Array(Buffer.from(o.body)) } as never,
    });
  }
  s3.on(DeleteObjectCommand).resolves({});
  sent = [];
  firehose.on(PutRecordBatchCommand).callsFake((input: PutRecordBatchCommandInput) => {
    expect(input.DeliveryStreamName).toBe(STREAM);
    for (const r of input.Records ?? []) sent.push(Buffer.from(r.Data ?? new Uint8Array()).toString('utf8'));
    return { FailedPutCount: 0, RequestResponses: (input.Records ?? []).map(() => ({ RecordId: 'r' })) };
  });
});

function io() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (t: string) => (out.stdout += t) },
      stderr: { isTTY: false, write: (t: string) => (out.stderr += t) },
    },
  };
}

const deletedKeys = () => s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key);

describe('npm run replay', () => {
  it('sends every replayable record, normalised, deletes the objects fully sent and lists the rest', async () => {
    const { out, io: cli } = io();
    expect(await runReplay(['--stack', 'mobile-kpi'], cli)).toBe(2);
    const ids = sent.map((line) => JSON.parse(line).event_id);
    expect(ids).toHaveLength(4);
    expect(ids).toEqual(expect.arrayContaining(['a-1', 'b-1', 'c-1']));
    expect(sent.every((line) => line.endsWith('\n') && JSON.parse(line).event_version === '3.1')).toBe(true);
    expect(deletedKeys().sort()).toEqual([
      'errors/format-conversion-failed/2026/03/02/b',
      'errors/processing-failed/2026/03/01/a',
    ]);
    expect(out.stdout).toContain(
      'Read 3 error object(s) holding 6 record(s); replayed 4, deleted 2 object(s).',
    );
    expect(out.stdout).toContain('  processing-failed: 5 record(s) in 2 object(s)');
    expect(out.stdout).toContain('  format-conversion-failed: 1 record(s) in 1 object(s)');
    expect(out.stdout).toContain('Not replayed (2); their objects are kept:');
    expect(out.stdout).toContain(
      "errors/processing-failed/2026/03/03/c #1: event_timestamp is 2013-12-31T00:00:00.000Z, before the lake's first day 2014-01-01",
    );
    expect(out.stdout).toContain(
      'errors/processing-failed/2026/03/03/c #2: the record is not one JSON value',
    );
  });

  it('sends and deletes nothing with --dry-run, and says what it would replay', async () => {
    const { out, io: cli } = io();
    expect(await runReplay(['--stack', 'mobile-kpi', '--dry-run'], cli)).toBe(2);
    expect(firehose.commandCalls(PutRecordBatchCommand)).toEqual([]);
    expect(deletedKeys()).toEqual([]);
    expect(out.stdout).toContain('would replay 4 (dry run: nothing sent, nothing deleted).');
  });

  it('reads only the objects written on or after --since', async () => {
    const { out, io: cli } = io();
    expect(await runReplay(['--stack', 'mobile-kpi', '--since', '2026-03-02'], cli)).toBe(2);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      'errors/format-conversion-failed/2026/03/02/b',
      'errors/processing-failed/2026/03/03/c',
    ]);
    expect(out.stdout).toContain('Read 2 error object(s)');
  });

  it('exits 0 when everything was replayed', async () => {
    s3.on(ListObjectsV2Command).resolves({
      Contents: [
        { Key: 'errors/processing-failed/2026/03/01/a', LastModified: new Date('2026-03-01T10:00:00Z') },
      ],
    });
    const { io: cli } = io();
    expect(await runReplay(['--stack', 'mobile-kpi'], cli)).toBe(0);
  });

  it('keeps an object the stream refused, with AWS’s error', async () => {
    firehose
      .on(PutRecordBatchCommand)
      .rejects(new ResourceNotFoundException({ message: `Firehose ${STREAM} not found.`, $metadata: {} }));
    const { out, io: cli } = io();
    expect(await runReplay(['--stack', 'mobile-kpi'], cli)).toBe(2);
    expect(deletedKeys()).toEqual([]);
    expect(out.stdout).toContain(
      `errors/processing-failed/2026/03/01/a: 2 record(s): the delivery stream refused it: The event store is unavailable; 2 event(s) were not stored: retry the request (ResourceNotFoundException: Firehose ${STREAM} not found.)`,
    );
  });

  it('checks records against the deployed lake’s first day', async () => {
    stack({ LakeStartDate: '2017-03-01' });
    const { out, io: cli } = io();
    await runReplay(['--stack', 'mobile-kpi', '--dry-run'], cli);
    expect(out.stdout).toContain("before the lake's first day 2017-03-01");
  });

  it('fails with AWS’s words when the stack does not exist, or is not this project’s', async () => {
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'nope' })
      .rejects(Object.assign(new Error('Stack with id nope does not exist'), { name: 'ValidationError' }));
    await expect(runReplay(['--stack', 'nope'], io().io)).rejects.toThrow(
      new CliError('Cannot read stack nope: ValidationError: Stack with id nope does not exist'),
    );
    cloudFormation
      .on(DescribeStacksCommand, { StackName: 'other' })
      .resolves({ Stacks: [{ Outputs: [] } as never] });
    await expect(runReplay(['--stack', 'other'], io().io)).rejects.toThrow(
      'Stack other has no output LakeBucketName, DeliveryStreamName, LakeStartDate',
    );
  });

  it.each([
    [[], '--stack is required: the name of the deployed stack, e.g. --stack mobile-kpi'],
    [
      ['--stack', 'x', '--since', '2026-02-30'],
      '--since must be a calendar day YYYY-MM-DD; got "2026-02-30"',
    ],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseReplayCommand(argv)).toThrow(new CliError(message));
  });

  it('prints its usage with --help', async () => {
    const { out, io: cli } = io();
    expect(await runReplay(['--help'], cli)).toBe(0);
    expect(out.stdout).toMatch(/^Usage: npm run replay -- --stack <name>/);
  });
});
