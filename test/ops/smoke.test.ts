import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeDeliveryStreamCommand, FirehoseClient } from '@aws-sdk/client-firehose';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { CliError } from '../../local/cli/cli-error';
import type { HttpCall } from '../../ops/signed-fetch';
import { parseSmokeCommand, runSmoke } from '../../ops/smoke-command';

const cloudFormation = mockClient(CloudFormationClient);
const firehose = mockClient(FirehoseClient);
const s3 = mockClient(S3Client);

/** As the stack outputs it: no trailing slash (the KPI API's URL has one). */
const INGEST = 'https://in123.execute-api.eu-west-1.amazonaws.com/prod';
const KPI = 'https://kpi456.execute-api.eu-west-1.amazonaws.com/prod/';
const START = Date.parse('2026-03-01T12:00:00Z');

function stack(extra: Record<string, string> = {}) {
  const outputs = {
    IngestApiUrl: INGEST,
    KpiApiUrl: KPI,
    DeliveryStreamName: 'mobile-kpi-events',
    LakeBucketName: 'lake',
    ...extra,
  };
  cloudFormation.on(DescribeStacksCommand, { StackName: 'mobile-kpi' }).resolves({
    Stacks: [
      {
        StackName: 'mobile-kpi',
        CreationTime: new Date(),
        StackStatus: 'CREATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A deployed stack as seen over HTTP: the DAU the KPI API answers each time, and the door's answer. */
function api(dauSeries: number[], door: () => Response = () => accepted()) {
  const calls: { method: string; url: string; body?: string; headers?: Record<string, string> }[] = [];
  let asked = 0;
  const http: HttpCall = async (url, init) => {
    calls.push({ method: init.method, url, body: init.body, headers: init.headers });
    if (url.startsWith(INGEST)) return door();
    const day = new URL(url).searchParams.get('endDate');
    const value = dauSeries[Math.min(asked++, dauSeries.length - 1)];
    return json(200, { appId: 'smoke-test', kpi: 'dau/count', values: [{ date: day, value }] });
  };
  return { http, calls };
}

const accepted = () =>
  json(202, {
    Results: {
      ep: {
        EndpointItemResponse: { StatusCode: 202 },
        EventsItemResponse: { ev: { StatusCode: 202, Message: 'Accepted' } },
      },
    },
  });

function run(argv: string[], http: HttpCall) {
  let clock = START;
  let out = '';
  const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => undefined } };
  const deps = {
    http,
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
  return runSmoke(argv, io, deps).then((code) => ({ code, out, elapsed: clock - START }));
}

beforeEach(() => {
  cloudFormation.reset();
  firehose.reset();
  s3.reset();
  stack();
  firehose.on(DescribeDeliveryStreamCommand, { DeliveryStreamName: 'mobile-kpi-events' }).resolves({
    DeliveryStreamDescription: {
      Destinations: [
        {
          DestinationId: 'd',
          ExtendedS3DestinationDescription: { BufferingHints: { IntervalInSeconds: 60 } },
        },
      ],
    } as never,
  });
  s3.on(ListObjectsV2Command).resolves({ Contents: [] });
});

describe('npm run smoke', () => {
  it('sends a signed test event through a door and sees it counted in the DAU', async () => {
    const { http, calls } = api([3, 3, 3, 4]);
    const { code, out } = await run(['--stack', 'mobile-kpi'], http);
    expect(out.split('\n')).toEqual([
      '✔ KPI API: DAU of smoke-test on 2026-03-01 is 3',
      expect.stringMatching(
        /^✔ ingest door: accepted a _session.start of client smoke-[0-9a-f-]{36} \(2026-03-01T12:00:00.000Z\)$/,
      ),
      "  waiting for Firehose's buffer (60 s) and the KPI API, at most 390 s",
      '✔ delivery: counted after 90 s: DAU of smoke-test on 2026-03-01 is 4',
      '',
    ]);
    expect(code).toBe(0);
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe(`${INGEST}/v1/apps/smoke-test/events`);
    const events = Object.values(
      JSON.parse(post?.body ?? '').BatchItem as Record<string, { Events: object }>,
    )[0];
    expect(Object.values(events?.Events ?? {})).toEqual([
      expect.objectContaining({ EventType: '_session.start', Timestamp: '2026-03-01T12:00:00.000Z' }),
    ]);
    // Every KPI question is a different range (so a different SQL text), none answerable from Athena's cache.
    const ranges = calls
      .filter((c) => c.method === 'GET')
      .map((c) => new URL(c.url).searchParams.get('startDate'));
    expect(ranges).toEqual(['2026-03-01', '2026-02-28', '2026-02-27', '2026-02-26']);
  });

  it('reports the door’s exact error and stops', async () => {
    const refused = () =>
      json(
        403,
        { message: 'The app id "smoke-test" is not accepted here' },
        { 'x-amzn-ErrorType': 'ForbiddenException:http://internal.amazon.com/', 'x-amzn-RequestId': 'req-1' },
      );
    const { http } = api([3], refused);
    const { code, out } = await run(['--stack', 'mobile-kpi'], http);
    expect(code).toBe(2);
    expect(out).toContain(
      `✘ ingest door: POST ${INGEST}/v1/apps/smoke-test/events answered 403 ForbiddenException: The app id "smoke-test" is not accepted here (request id req-1)`,
    );
    expect(out).not.toContain('delivery');
  });

  it('says where the event went when it is never counted', async () => {
    s3.on(ListObjectsV2Command, { Bucket: 'lake', Prefix: 'errors/' }).resolves({
      Contents: [
        { Key: 'errors/old', LastModified: new Date(START - 1000) },
        { Key: 'errors/processing-failed/2026/03/01/x', LastModified: new Date(START + 60_000) },
      ],
    });
    s3.on(GetObjectCommand, { Key: 'errors/processing-failed/2026/03/01/x' }).resolves({
      Body: {
        transformToString: async () =>
          JSON.stringify({ rawData: 'e30=', errorCode: 'Lambda.FunctionError', errorMessage: 'It failed.' }),
      } as never,
    });
    const { http } = api([3]);
    const { code, out, elapsed } = await run(['--stack', 'mobile-kpi', '--timeout', '120'], http);
    expect(code).toBe(2);
    expect(elapsed).toBe(120_000);
    expect(out).toContain('✘ delivery: not counted after 120 s: DAU still 3');
    expect(out).toContain(
      '  error record: errors/processing-failed/2026/03/01/x: Lambda.FunctionError: It failed.',
    );
    expect(out).not.toContain('errors/old');
  });

  it('reports a KPI API that refuses the caller, and does not wait for what it cannot see', async () => {
    const calls: string[] = [];
    const http: HttpCall = async (url, init) => {
      calls.push(init.method);
      if (url.startsWith(INGEST)) return accepted();
      return json(
        403,
        { Message: 'User: arn:aws:iam::1:user/x is not authorized to perform: execute-api:Invoke' },
        {
          'x-amzn-ErrorType': 'AccessDeniedException',
        },
      );
    };
    const { code, out } = await run(['--stack', 'mobile-kpi'], http);
    expect(code).toBe(2);
    expect(out).toMatch(
      /✘ KPI API: GET https:\/\/kpi456\.execute-api\.eu-west-1\.amazonaws\.com\/prod\/apps\/smoke-test\/kpis\/dau\/count\?startDate=2026-03-01&endDate=2026-03-01&timezone=UTC answered 403 AccessDeniedException: User: arn:aws:iam::1:user\/x is not authorized/,
    );
    expect(out).toContain('✘ delivery: not checked, the KPI API does not answer');
    expect(calls).toEqual(['GET', 'POST']);
  });

  it('asks for the API key of apiKey doors, saying how to get it', async () => {
    stack({ IngestApiKeyId: 'key123' });
    const { http, calls } = api([3]);
    const { code, out } = await run(['--stack', 'mobile-kpi'], http);
    expect(code).toBe(2);
    expect(out).toContain(
      'aws apigateway get-api-key --api-key key123 --include-value --query value --output text',
    );
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    const withKey = api([3, 4]);
    expect((await run(['--stack', 'mobile-kpi', '--api-key', 'k'], withKey.http)).code).toBe(0);
    expect(withKey.calls.find((c) => c.method === 'POST')?.headers?.['x-api-key']).toBe('k');
  });

  it.each([
    [[], '--stack is required: the name of the deployed stack, e.g. --stack mobile-kpi'],
    [['--stack', 'x', '--app', 'a/b'], '--app must be an app id; got "a/b"'],
    [['--stack', 'x', '--timeout', 'soon'], '--timeout must be a whole number from 1 to 86400; got "soon"'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseSmokeCommand(argv)).toThrow(new CliError(message));
  });
});
