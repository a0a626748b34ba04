import { get } from 'node:http';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { awsTestEnv, TEST_CREDENTIALS } from '../support/aws-env';
import { type CliProcess, runCli, startCli } from '../support/cli-process';
import { tempDir } from '../support/lake-fixtures';
import { DENIED_MESSAGE, type StandInKpiApi, startStandInKpiApi } from '../support/stand-in-kpi-api';

/**
 * `npm run dashboard` as a user runs it (`tsx local/cli/dashboard.ts` in a child process),
 * against a local stand-in for a deployed KPI API, with credentials from the environment as
 * the default chain reads them.
 */

let home: Awaited<ReturnType<typeof tempDir>>;
let api: StandInKpiApi;

beforeAll(async () => {
  home = await tempDir('dashboard-home');
  api = await startStandInKpiApi();
});

afterAll(async () => {
  await api.close();
  await home.remove();
});

describe('npm run dashboard', () => {
  let proxy: CliProcess;
  let url: string;

  beforeAll(async () => {
    proxy = startCli(
      'dashboard.ts',
      ['--api', `${api.origin}/prod/`, '--region', 'eu-west-1', '--port', '0'],
      awsTestEnv(home.path, true),
    );
    const [, listening] = await proxy.waitForStdout(/Dashboard on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    url = listening ?? '';
  });

  afterAll(async () => {
    proxy.child.kill('SIGTERM');
    expect(await proxy.exited).toBe(0);
  });

  it('forwards a KPI call to the API, signed with SigV4 for execute-api in the region, and relays the answer', async () => {
    const path =
      '/apps/demo/kpis/dau/count?startDate=2026-01-01&endDate=2026-01-03&timezone=America%2FLos_Angeles';
    const response = await fetch(`${url}${path}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { values: unknown[] }).values).toHaveLength(3);

    const forwarded = api.received.filter((r) => r.url.startsWith('/prod/apps/demo/'));
    expect(forwarded).toHaveLength(1);
    const [request] = forwarded;
    expect(request?.url).toBe(`/prod${path}`);
    const headers = request?.headers ?? {};
    const date = String(headers['x-amz-date']);
    expect(date).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-amz-security-token']).toBe(TEST_CREDENTIALS.sessionToken);
    expect(headers.authorization).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${date.slice(0, 8)}/eu-west-1/execute-api/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`,
      ),
    );

    // The signature covers what arrived: signing the received request again gives the same one.
    const received = new URL(request?.url ?? '', api.origin);
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(headers.authorization))?.[1]?.split(';') ?? [];
    const resigned = await new SignatureV4({
      service: 'execute-api',
      region: 'eu-west-1',
      credentials: TEST_CREDENTIALS,
      sha256: Hash.bind(null, 'sha256'),
    }).sign(
      new HttpRequest({
        method: 'GET',
        protocol: 'http:',
        hostname: received.hostname,
        port: Number(received.port),
        path: received.pathname,
        query: Object.fromEntries(received.searchParams),
        headers: Object.fromEntries(
          signedHeaders.filter((h) => h !== 'x-amz-date').map((h) => [h, String(headers[h])]),
        ),
      }),
      {
        signingDate: new Date(
          date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
        ),
      },
    );
    expect(resigned.headers.authorization).toBe(headers.authorization);
  });

  it('serves the page at / to a browser, and no credential reaches it', async () => {
    const response = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('data-mode="deployed"');
    expect(html).not.toContain(TEST_CREDENTIALS.accessKeyId);
    expect(html).not.toContain(TEST_CREDENTIALS.secretAccessKey);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
  });

  it('answers only requests addressed to itself, so a rebound DNS name gets no signed call', async () => {
    const before = api.received.length;
    const port = new URL(url).port;
    const response = await new Promise<number>((resolve, reject) => {
      get(
        { host: '127.0.0.1', port, path: '/apps', headers: { host: `attacker.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      ).on('error', reject);
    });
    expect(response).toBe(403);
    expect(api.received.length).toBe(before);
  });
});

describe('npm run dashboard stops with one line', () => {
  const oneLine = (stderr: string) => stderr.trimEnd().split('\n');

  it('when no credentials are found', async () => {
    const { code, stderr } = await runCli(
      'dashboard.ts',
      ['--api', `${api.origin}/prod/`, '--region', 'eu-west-1'],
      awsTestEnv(home.path, false),
    );
    expect(code).toBe(1);
    expect(oneLine(stderr)).toHaveLength(1);
    expect(stderr).toMatch(
      /^Error: No AWS credentials found in the default credential chain \(.+\); sign in/,
    );
  });

  it('when the API answers 403, with its message', async () => {
    const { code, stderr } = await runCli(
      'dashboard.ts',
      ['--api', `${api.origin}/denied/`, '--region', 'eu-west-1', '--port', '0'],
      awsTestEnv(home.path, true),
    );
    expect(code).toBe(1);
    expect(oneLine(stderr)).toHaveLength(1);
    expect(stderr).toContain(`Error: The KPI API answered 403 Forbidden to GET /apps: ${DENIED_MESSAGE}.`);
  });

  it('when --api is missing, or names no region and none is given', async () => {
    const missing = await runCli('dashboard.ts', [], awsTestEnv(home.path, true));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'Error: --api is required: the KpiApiUrl output of the deployed stack (npx cdk deploy prints it)\n',
    );
    const regionless = await runCli(
      'dashboard.ts',
      ['--api', 'https://kpi.example.com/'],
      awsTestEnv(home.path, true),
    );
    expect(regionless.stderr).toBe(
      'Error: Cannot tell the region of kpi.example.com; give it with --region (e.g. --region eu-west-1)\n',
    );
  });
});
