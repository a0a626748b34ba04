import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { DuckDBInstance } from '@duckdb/node-api';
import { mockClient } from 'aws-sdk-client-mock';
import { TrinoSQL } from 'dt-sql-parser';
import { sqlLiteral } from '../../lambdas/core/sql-literal';
import { AthenaEngine } from '../../lambdas/kpi/athena-engine';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { KPI_ROUTES } from '../../lambdas/kpi/kpi-routes';
import { TEST_LAKE } from '../support/lake';
import { NO_APPS } from '../support/no-apps';
import { placeholdersOutsideStrings } from '../support/sql-placeholders';

const athena = mockClient(AthenaClient);
const trino = new TrinoSQL();

/** Values a caller could send, each valid for the KPI API, each hostile to naive quoting. */
const HOSTILE = [
  "o'brien",
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  'back\\slash\\',
  '?',
  "''",
  '/* not a comment */',
  '-- not a comment',
  '💰 "gold"',
  "back\\'quote",
];

const DAYS = ['2026-02-01', '2026-02-02', '2026-02-03'];
/** The JSON answer of the last {@link athenaText} request. */
let lastBody: unknown;

function kpiApp() {
  const engine = new AthenaEngine({
    workGroup: 'kpi',
    database: 'mobile_kpis',
    deadlineMs: 2000,
    firstPollDelayMs: 1,
    maxPollDelayMs: 2,
    client: new AthenaClient({}),
  });
  return createKpiApp({
    lake: TEST_LAKE,
    apps: NO_APPS,
    engine,
    now: () => Date.parse('2026-03-15T12:00:00Z'),
  });
}

/** A result set of text columns, as GetQueryResults pages it: the header row first. */
function resultSet(columns: readonly [string, string][], rows: readonly (readonly string[])[]) {
  return {
    ResultSet: {
      ResultSetMetadata: { ColumnInfo: columns.map(([Name, Type]) => ({ Name, Type })) },
      Rows: [columns.map(([name]) => name), ...rows].map((row) => ({
        Data: row.map((VarCharValue) => ({ VarCharValue })),
      })),
    },
  };
}

const SERIES_RESULT = resultSet(
  [
    ['day', 'date'],
    ['value', 'bigint'],
  ],
  DAYS.map((d) => [d, '1']),
);

async function athenaText(
  path: string,
  appId: string,
  name: string,
  result: ReturnType<typeof resultSet> = SERIES_RESULT,
): Promise<string> {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q' });
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).resolves(result);
  const url = `${path.replace('{appId}', appId).replace(/\{\w+\}/g, encodeURIComponent(name))}?startDate=${DAYS[0]}&endDate=${DAYS[2]}&timezone=Asia/Kolkata`;
  const response = await kpiApp().request(url);
  expect(response.status).toBe(200);
  lastBody = await response.json();
  const calls = athena.commandCalls(StartQueryExecutionCommand);
  expect(calls).toHaveLength(1);
  const input = calls[0]?.args[0].input;
  expect(input).not.toHaveProperty('ExecutionParameters');
  return input?.QueryString ?? '';
}

describe('the SQL texts the KPI API sends Athena', () => {
  it.each(KPI_ROUTES.map((r) => [r.path] as const))(
    '%s: values as literals, no ? parameter anywhere, one valid Trino statement, a text per app',
    async (path) => {
      const demo = await athenaText(path, 'demo', 'level_complete');
      const other = await athenaText(path, 'other-app', 'level_complete');
      for (const text of [demo, other]) {
        expect(placeholdersOutsideStrings(text)).toEqual([]);
        expect(trino.validate(text)).toEqual([]);
        expect(trino.splitSQLByStatement(text)).toHaveLength(1);
      }
      expect(demo).toContain("app_id = 'demo'");
      expect(other).toContain("app_id = 'other-app'");
      expect(demo).not.toBe(other);
    },
  );

  it('/apps/{appId}/events: values as literals, one valid Trino statement, names read back as rows', async () => {
    const catalogue = resultSet(
      [
        ['event_type', 'varchar'],
        ['kind', 'varchar'],
        ['name', 'varchar'],
      ],
      [
        ['level_complete', 'attribute', 'level'],
        ['level_complete', 'event', ''],
        ['level_complete', 'metric', 'score, "best"'],
        ['_session.start', 'event', ''],
      ],
    );
    const text = await athenaText('/apps/{appId}/events', 'other-app', '', catalogue);
    expect(placeholdersOutsideStrings(text)).toEqual([]);
    expect(trino.validate(text)).toEqual([]);
    expect(trino.splitSQLByStatement(text)).toHaveLength(1);
    expect(text).toContain("app_id = 'other-app'");
    expect(lastBody).toMatchObject({
      appId: 'other-app',
      events: [
        { name: '_session.start', metrics: [], attributes: [] },
        { name: 'level_complete', metrics: ['score, "best"'], attributes: ['level'] },
      ],
    });
  });

  it.each(HOSTILE.map((v) => [v]))('keeps the name %j one literal of one statement', async (name) => {
    const text = await athenaText('/apps/{appId}/events/{eventName}/metrics/{metric}/sum', 'demo', name);
    expect(placeholdersOutsideStrings(text)).toEqual([]);
    expect(trino.validate(text)).toEqual([]);
    expect(trino.splitSQLByStatement(text)).toHaveLength(1);
    expect(text).toContain(`event_type = ${sqlLiteral(name)}`);
  });
});

describe('sqlLiteral, the one escaping path', () => {
  it('reads back every hostile value exactly in a real SQL engine', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      for (const value of HOSTILE) {
        const reader = await connection.runAndReadAll(`SELECT ${sqlLiteral(value)} AS v`);
        expect(reader.getRowObjects()).toEqual([{ v: value }]);
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('finds placeholders only outside strings and comments, so the checks above can fail', () => {
    const sql = "SELECT ? FROM t WHERE a = '?' -- ?\n AND b = ?";
    expect(placeholdersOutsideStrings(sql)).toEqual([7, sql.length - 1]);
    expect(placeholdersOutsideStrings("SELECT 'it''s ?' /* ? */")).toEqual([]);
  });
});
