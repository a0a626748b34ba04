import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type GetQueryResultsCommandOutput,
  InvalidRequestException,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  GatewayTimeoutError,
  ServiceUnavailableError,
  TooManyRequestsError,
} from '../../lambdas/core/errors';
import { logger } from '../../lambdas/core/logger';
import { AthenaEngine } from '../../lambdas/kpi/athena-engine';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';

const athena = mockClient(AthenaClient);

const engine = (deadlineMs = 2000) =>
  new AthenaEngine({
    workGroup: 'kpi',
    database: 'mobile_kpis',
    deadlineMs,
    resultReuseMaxAgeMinutes: 30,
    firstPollDelayMs: 1,
    maxPollDelayMs: 5,
    client: new AthenaClient({}),
  });

const COLUMNS = [
  { Name: 'day', Type: 'date' },
  { Name: 'value', Type: 'bigint' },
  { Name: 'amount', Type: 'double' },
  { Name: 'name', Type: 'varchar' },
  { Name: 'flag', Type: 'boolean' },
];

const row = (...values: (string | undefined)[]) => ({
  Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
});

const page = (rows: ReturnType<typeof row>[], nextToken?: string): GetQueryResultsCommandOutput => ({
  $metadata: {},
  ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: rows },
  ...(nextToken ? { NextToken: nextToken } : {}),
});

const succeeded = {
  QueryExecution: {
    Status: { State: 'SUCCEEDED' as const },
    Statistics: { DataScannedInBytes: 123456, ResultReuseInformation: { ReusedPreviousResult: true } },
  },
};

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
});

describe('AthenaEngine', () => {
  it('starts the query in the workgroup and database, with result reuse and the values as escaped literals in the text', async () => {
    athena.on(GetQueryExecutionCommand).resolves(succeeded);
    athena.on(GetQueryResultsCommand).resolves(page([row('day', 'value', 'amount', 'name', 'flag')]));
    await engine().query('SELECT ? AS a, ? AS b, ? AS c', ["it's", 42, 'x\\y']);
    expect(athena).toHaveReceivedCommandWith(StartQueryExecutionCommand, {
      QueryString: "SELECT 'it''s' AS a, 42 AS b, 'x\\y' AS c",
      WorkGroup: 'kpi',
      QueryExecutionContext: { Database: 'mobile_kpis' },
      ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: true, MaxAgeInMinutes: 30 } },
    });
    const input = athena.commandCalls(StartQueryExecutionCommand)[0]?.args[0].input;
    expect(input).not.toHaveProperty('ExecutionParameters');
  });

  it('refuses a text whose placeholders do not match its values, before calling Athena', async () => {
    await expect(engine().query('SELECT ?, ?', ['one'])).rejects.toThrow(
      'The SQL has 2 placeholders for 1 values',
    );
    expect(athena).not.toHaveReceivedCommand(StartQueryExecutionCommand);
  });

  it('polls until the query succeeds, then reads every page of results, decoding by column type', async () => {
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'QUEUED' } } })
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves(succeeded);
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        page(
          [row('day', 'value', 'amount', 'name', 'flag'), row('2026-03-01', '5', '1.25', 'a', 'true')],
          't1',
        ),
      )
      .resolvesOnce(page([row('2026-03-02', '9007199254740993', '-0.5', '', 'false')], 't2'))
      .resolvesOnce(page([row('2026-03-03', undefined, undefined, undefined, undefined)]));
    const result = await engine().query('SELECT 1', []);
    expect(result.rows).toEqual([
      { day: '2026-03-01', value: 5, amount: 1.25, name: 'a', flag: true },
      { day: '2026-03-02', value: 9007199254740993n, amount: -0.5, name: '', flag: false },
      { day: '2026-03-03', value: null, amount: null, name: null, flag: null },
    ]);
    expect(result.bytesScanned).toBe(123456);
    expect(result.reusedResult).toBe(true);
    expect(athena).toHaveReceivedCommandTimes(GetQueryExecutionCommand, 3);
    const tokens = athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken);
    expect(tokens).toEqual([undefined, 't1', 't2']);
  });

  it('turns a failed query into a 503 and logs Athena’s reason', async () => {
    const logged = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason:
            'TABLE_NOT_FOUND: line 1:15: Table awsdatacatalog.mobile_kpis.events does not exist',
          AthenaError: { ErrorCategory: 2, ErrorType: 1301, Retryable: false },
        },
      },
    });
    const error = await engine()
      .query('SELECT 1', [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).status).toBe(503);
    expect(logged).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({
        queryExecutionId: 'q-1',
        reason: expect.stringContaining('TABLE_NOT_FOUND'),
      }),
    );
    logged.mockRestore();
  });

  it('says so when the workgroup’s bytes-scanned cutoff cancelled the query', async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: { State: 'CANCELLED', StateChangeReason: 'Bytes scanned limit was exceeded' },
      },
    });
    const error = await engine()
      .query('SELECT 1', [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as Error).message).toMatch(/per-query limit \(bytes-scanned cutoff\).*shorter date range/);
  });

  it('answers 400 naming the timezone when Athena does not know a zone the request passed (e.g. EST)', async () => {
    athena.on(GetQueryExecutionCommand).resolves({
      QueryExecution: {
        Status: {
          State: 'FAILED',
          StateChangeReason: 'NOT_SUPPORTED: Time zone not supported: EST',
          AthenaError: { ErrorCategory: 2, ErrorType: 1306, Retryable: false },
        },
      },
    });
    const app = createKpiApp({
      lake: TEST_LAKE,
      apps: NO_APPS,
      engine: engine(),
      now: () => Date.parse('2026-03-15T12:00:00Z'),
    });
    const response = await app.request('/apps/demo/kpis/dau/count?timezone=EST');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      message: 'timezone "EST" is not supported by Athena; use a region name such as America/New_York',
    });
  });

  it('stops a query still running at the deadline and answers 504', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const started = Date.now();
    const error = await engine(50)
      .query('SELECT 1', [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayTimeoutError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(athena).toHaveReceivedCommandWith(StopQueryExecutionCommand, { QueryExecutionId: 'q-1' });
    expect(athena).not.toHaveReceivedCommand(GetQueryResultsCommand);
  });

  it('answers the API request with 504 and a message when the deadline passes', async () => {
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    athena.on(StopQueryExecutionCommand).resolves({});
    const app = createKpiApp({ lake: TEST_LAKE, apps: NO_APPS, engine: engine(30) });
    const response = await app.request('/apps/demo/kpis/dau/count');
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: expect.stringContaining('did not finish') });
  });

  it('reports bytes scanned and cache use in the API answer', async () => {
    athena.on(GetQueryExecutionCommand).resolves(succeeded);
    athena.on(GetQueryResultsCommand).resolves({
      $metadata: {},
      ResultSet: {
        ResultSetMetadata: {
          ColumnInfo: [
            { Name: 'day', Type: 'date' },
            { Name: 'value', Type: 'bigint' },
          ],
        },
        Rows: [row('day', 'value'), row('2026-03-01', '42')],
      },
    });
    const app = createKpiApp({ lake: TEST_LAKE, apps: NO_APPS, engine: engine() });
    const response = await app.request('/apps/demo/kpis/dau/count?startDate=2026-03-01&endDate=2026-03-01');
    expect(await response.json()).toEqual({
      appId: 'demo',
      kpi: 'dau/count',
      startDate: '2026-03-01',
      endDate: '2026-03-01',
      timezone: 'UTC',
      values: [{ date: '2026-03-01', value: 42 }],
      bytesScanned: 123456,
      cached: true,
    });
  });

  it('turns throttling into a 429 with Retry-After', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const error = await engine()
      .query('SELECT 1', [])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect((error as TooManyRequestsError).headers['Retry-After']).toBeDefined();
  });

  it('lets other Athena errors through unchanged, for the 500 mapper to log', async () => {
    athena
      .on(StartQueryExecutionCommand)
      .rejects(new InvalidRequestException({ message: 'bad', $metadata: {} }));
    await expect(engine().query('SELECT 1', [])).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('validates its options, saying what was given', () => {
    expect(() => new AthenaEngine({ workGroup: 'w', database: 'd', deadlineMs: 0 })).toThrow(
      'deadlineMs must be a positive integer of milliseconds, got 0',
    );
    expect(
      () =>
        new AthenaEngine({
          workGroup: 'w',
          database: 'd',
          deadlineMs: 1000,
          resultReuseMaxAgeMinutes: 20000,
        }),
    ).toThrow("resultReuseMaxAgeMinutes must be an integer from 1 to 10080 (Athena's limit), got 20000");
  });
});
