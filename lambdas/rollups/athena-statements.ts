import {
  type AthenaClient,
  BatchGetQueryExecutionCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListQueryExecutionsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import type { Row } from '../core/query-engine';
import { decodeRows } from '../kpi/athena-rows';
import { renderBound, type SqlText } from '../kpi/sql/sql-text';

export interface AthenaStatementsOptions {
  readonly client: AthenaClient;
  /** The rollup job's own workgroup: results location, cutoff, and the job's queries only. */
  readonly workGroup: string;
  /** The Glue database of `events` and the rollup tables. */
  readonly database: string;
  /** @default 1000 */
  readonly pollDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs the rollup job's statements on Athena one at a time: start, poll until it ends, and fail
 * (after stopping it) when it has not ended by the deadline the caller gives, so that no write
 * of the job outlives the run that started it.
 */
export class AthenaStatements {
  constructor(private readonly options: AthenaStatementsOptions) {}

  /** Whether any query of the workgroup is queued or running (a run that outlived its Lambda). */
  async busy(): Promise<boolean> {
    const { client, workGroup } = this.options;
    const listed = await client.send(
      new ListQueryExecutionsCommand({ WorkGroup: workGroup, MaxResults: 50 }),
    );
    const ids = listed.QueryExecutionIds ?? [];
    if (ids.length === 0) return false;
    const batch = await client.send(new BatchGetQueryExecutionCommand({ QueryExecutionIds: ids }));
    return (batch.QueryExecutions ?? []).some(
      (q) => q.Status?.State === 'QUEUED' || q.Status?.State === 'RUNNING',
    );
  }

  /** Runs a statement to its end; the rows of a SELECT when `rows` is set. */
  async run(text: SqlText, deadline: number, options: { rows?: boolean } = {}): Promise<readonly Row[]> {
    const { client, workGroup, database, pollDelayMs = 1000 } = this.options;
    const started = await client.send(
      new StartQueryExecutionCommand({
        QueryString: renderBound(text),
        WorkGroup: workGroup,
        QueryExecutionContext: { Database: database },
      }),
    );
    const id = started.QueryExecutionId as string;
    for (;;) {
      const { QueryExecution: execution } = await client.send(
        new GetQueryExecutionCommand({ QueryExecutionId: id }),
      );
      const status = execution?.Status;
      if (status?.State === 'SUCCEEDED') break;
      if (status?.State === 'FAILED' || status?.State === 'CANCELLED') {
        throw new Error(
          `Athena query ${id} ended ${status.State}: ${status.StateChangeReason ?? 'no reason given'}`,
        );
      }
      if (Date.now() >= deadline) {
        await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
        throw new Error(`Athena query ${id} had not ended by the run's deadline and was stopped`);
      }
      await sleep(pollDelayMs);
    }
    if (!options.rows) return [];
    const rows: Row[] = [];
    let nextToken: string | undefined;
    let firstPage = true;
    do {
      const page = await client.send(
        new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: nextToken }),
      );
      rows.push(...decodeRows(page.ResultSet, firstPage));
      firstPage = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }
}
