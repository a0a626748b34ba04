import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  type QueryExecution,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { GatewayTimeoutError } from '../core/errors';
import { logger } from '../core/logger';
import type { QueryEngine, QueryOptions, QueryResult, Row, SqlParam } from '../core/query-engine';
import { inlineParameters } from '../core/sql-literal';
import { athenaCallError, queryFailure } from './athena-errors';
import { decodeRows } from './athena-rows';

export interface AthenaEngineOptions {
  /** The workgroup queries run in (it sets the result location and the bytes-scanned cutoff). */
  readonly workGroup: string;
  /** The Glue database holding the `events` table. */
  readonly database: string;
  /** Time a query may take, from start to last poll, before it is stopped and answered 504. */
  readonly deadlineMs: number;
  /** How old a cached result Athena may reuse for an identical reusable query. @default 60 */
  readonly resultReuseMaxAgeMinutes?: number;
  /** First wait between polls; each wait doubles up to {@link maxPollDelayMs}. @default 100 */
  readonly firstPollDelayMs?: number;
  /** @default 1000 */
  readonly maxPollDelayMs?: number;
  /** @default a new AthenaClient for the Lambda's region */
  readonly client?: AthenaClient;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs KPI SQL on Amazon Athena, within a deadline. Athena allows execution parameters only in
 * WHERE clauses and does not name them among the conditions of result reuse, so the values are
 * sent as literals in the text ({@link inlineParameters}, the project's one escaping path, after
 * the KPI API has validated them): each app and range is its own text, and result reuse can
 * only ever answer a query with its own earlier result. Reuse is asked for only for a reusable
 * query (one that reads current rollups only, whose text names their version): a query that
 * reads raw events must see the events that arrived since.
 */
export class AthenaEngine implements QueryEngine {
  private readonly client: AthenaClient;
  private readonly reuseMinutes: number;
  private readonly firstPollDelayMs: number;
  private readonly maxPollDelayMs: number;

  constructor(private readonly options: AthenaEngineOptions) {
    const { deadlineMs, resultReuseMaxAgeMinutes = 60 } = options;
    if (!Number.isInteger(deadlineMs) || deadlineMs <= 0) {
      throw new RangeError(`deadlineMs must be a positive integer of milliseconds, got ${deadlineMs}`);
    }
    if (
      !Number.isInteger(resultReuseMaxAgeMinutes) ||
      resultReuseMaxAgeMinutes < 1 ||
      resultReuseMaxAgeMinutes > 10080
    ) {
      throw new RangeError(
        `resultReuseMaxAgeMinutes must be an integer from 1 to 10080 (Athena's limit), got ${resultReuseMaxAgeMinutes}`,
      );
    }
    this.client = options.client ?? new AthenaClient({});
    this.reuseMinutes = resultReuseMaxAgeMinutes;
    this.firstPollDelayMs = options.firstPollDelayMs ?? 100;
    this.maxPollDelayMs = options.maxPollDelayMs ?? 1000;
  }

  async query(sql: string, params: readonly SqlParam[], options: QueryOptions = {}): Promise<QueryResult> {
    const deadline = Date.now() + this.options.deadlineMs;
    const started = await this.call(
      this.client.send(
        new StartQueryExecutionCommand({
          QueryString: inlineParameters(sql, params),
          WorkGroup: this.options.workGroup,
          QueryExecutionContext: { Database: this.options.database },
          ResultReuseConfiguration: {
            ResultReuseByAgeConfiguration: options.reusable
              ? { Enabled: true, MaxAgeInMinutes: this.reuseMinutes }
              : { Enabled: false },
          },
        }),
      ),
    );
    const id = started.QueryExecutionId as string;
    const execution = await this.waitFor(id, deadline);
    const statistics = execution.Statistics;
    logger.debug('Athena query succeeded', { queryExecutionId: id, statistics });
    return {
      rows: await this.rows(id),
      ...(statistics?.DataScannedInBytes === undefined
        ? {}
        : { bytesScanned: statistics.DataScannedInBytes }),
      ...(statistics?.EngineExecutionTimeInMillis === undefined
        ? {}
        : { engineMs: statistics.EngineExecutionTimeInMillis }),
      reusedResult: statistics?.ResultReuseInformation?.ReusedPreviousResult ?? false,
    };
  }

  private async waitFor(id: string, deadline: number): Promise<QueryExecution> {
    let delay = this.firstPollDelayMs;
    for (;;) {
      const { QueryExecution: execution = {} } = await this.call(
        this.client.send(new GetQueryExecutionCommand({ QueryExecutionId: id })),
      );
      const state = execution.Status?.State;
      if (state === 'SUCCEEDED') return execution;
      if (state === 'FAILED' || state === 'CANCELLED') throw queryFailure(id, execution);
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        await this.stop(id);
        throw new GatewayTimeoutError(
          `The query did not finish within ${this.options.deadlineMs} ms and was stopped; retry, or ask for a shorter range`,
        );
      }
      await sleep(Math.min(delay, remaining));
      delay = Math.min(delay * 2, this.maxPollDelayMs);
    }
  }

  private async stop(id: string): Promise<void> {
    try {
      await this.client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
    } catch (error) {
      logger.warn('could not stop an Athena query past its deadline', {
        queryExecutionId: id,
        error: error as Error,
      });
    }
  }

  private async rows(id: string): Promise<Row[]> {
    const rows: Row[] = [];
    let nextToken: string | undefined;
    let firstPage = true;
    do {
      const page = await this.call(
        this.client.send(
          new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken, MaxResults: 1000 }),
        ),
      );
      rows.push(...decodeRows(page.ResultSet, firstPage));
      firstPage = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  /** Awaits an Athena call, turning throttling and service faults into HTTP errors. */
  private async call<Output>(request: Promise<Output>): Promise<Output> {
    try {
      return await request;
    } catch (error) {
      throw athenaCallError(error);
    }
  }
}
