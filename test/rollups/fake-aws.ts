import { createHash } from 'node:crypto';
import {
  AthenaClient,
  BatchGetQueryExecutionCommand,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  ListQueryExecutionsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * A lake bucket in memory behind a mocked S3Client: the calls the rollup job and catalog make
 * (ListObjectsV2 with Prefix/StartAfter and pages of 2 keys, GetObject, PutObject, CopyObject,
 * DeleteObjects), each recorded in order.
 */
export class FakeBucket {
  readonly objects = new Map<string, string>();
  readonly mock = mockClient(S3Client);
  /**
   * @param writes every write, in order: `put <key>`, `copy <from> -> <to>`, `delete <key>`
   *   (shared with a {@link FakeAthena} to see the order of statements and writes)
   */
  constructor(
    readonly writes: string[] = [],
    readonly name = 'lake',
  ) {
    this.mock.on(ListObjectsV2Command).callsFake((input) => {
      const keys = [...this.objects.keys()]
        .filter(
          (k) => k.startsWith(input.Prefix ?? '') && k > (input.ContinuationToken ?? input.StartAfter ?? ''),
        )
        .sort();
      const page = keys.slice(0, 2);
      return {
        Contents: page.map((Key) => ({ Key, ETag: this.etag(Key), Size: this.objects.get(Key)?.length })),
        IsTruncated: keys.length > 2,
        ...(keys.length > 2 ? { NextContinuationToken: page.at(-1) } : {}),
      };
    });
    this.mock.on(GetObjectCommand).callsFake((input) => {
      const text = this.objects.get(input.Key);
      if (text === undefined) throw new NoSuchKey({ message: 'no such key', $metadata: {} });
      return { Body: { transformToString: async () => text } };
    });
    this.mock.on(PutObjectCommand).callsFake((input) => {
      this.put(input.Key, String(input.Body));
      return {};
    });
    this.mock.on(CopyObjectCommand).callsFake((input) => {
      const from = decodeURIComponent(String(input.CopySource).slice(this.name.length + 1));
      const text = this.objects.get(from);
      if (text === undefined) throw new NoSuchKey({ message: from, $metadata: {} });
      this.writes.push(`copy ${from} -> ${input.Key}`);
      this.objects.set(input.Key, text);
      return {};
    });
    this.mock.on(DeleteObjectsCommand).callsFake((input) => {
      for (const { Key } of input.Delete.Objects) {
        this.writes.push(`delete ${Key}`);
        this.objects.delete(Key);
      }
      return {};
    });
  }

  put(key: string, text: string): void {
    this.writes.push(`put ${key}`);
    this.objects.set(key, text);
  }

  etag(key: string): string {
    return `"${createHash('md5')
      .update(this.objects.get(key) ?? '')
      .digest('hex')}"`;
  }

  json(key: string): unknown {
    const text = this.objects.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }
}

export interface FakeResult {
  /** Column names and types, and rows of text values. */
  readonly columns?: readonly (readonly [string, string])[];
  readonly rows?: readonly (readonly (string | undefined)[])[];
  /** Athena's reason, for a statement that fails. */
  readonly fails?: string;
}

/**
 * Athena behind a mocked AthenaClient: every statement is recorded; `answer` decides each one's
 * outcome (its rows, or a failure). Queries are RUNNING on the first poll and end on the second.
 */
export class FakeAthena {
  /** Every statement started, in order. */
  readonly statements: string[] = [];
  readonly mock = mockClient(AthenaClient);
  readonly stopped: string[] = [];
  running: string[] = [];

  /** @param log gets `athena <the statement's first words>` for each statement started */
  constructor(answer: (sql: string) => FakeResult = () => ({}), log: string[] = []) {
    const polls = new Map<string, number>();
    const results = new Map<string, FakeResult>();
    this.mock.on(StartQueryExecutionCommand).callsFake((input) => {
      const id = `q${this.statements.length + 1}`;
      this.statements.push(input.QueryString);
      log.push(`athena ${input.QueryString.split(/\s+/).slice(0, 3).join(' ')}`);
      results.set(id, answer(input.QueryString));
      return { QueryExecutionId: id };
    });
    this.mock.on(GetQueryExecutionCommand).callsFake(({ QueryExecutionId: id }) => {
      const poll = (polls.get(id) ?? 0) + 1;
      polls.set(id, poll);
      const result = results.get(id) ?? {};
      const state = poll === 1 ? 'RUNNING' : result.fails ? 'FAILED' : 'SUCCEEDED';
      return {
        QueryExecution: { QueryExecutionId: id, Status: { State: state, StateChangeReason: result.fails } },
      };
    });
    this.mock.on(GetQueryResultsCommand).callsFake(({ QueryExecutionId: id }) => {
      const { columns = [], rows = [] } = results.get(id) ?? {};
      return {
        ResultSet: {
          ResultSetMetadata: { ColumnInfo: columns.map(([Name, Type]) => ({ Name, Type })) },
          Rows: [columns.map(([name]) => name), ...rows].map((row) => ({
            Data: row.map((VarCharValue) => (VarCharValue === undefined ? {} : { VarCharValue })),
          })),
        },
      };
    });
    this.mock.on(StopQueryExecutionCommand).callsFake(({ QueryExecutionId: id }) => {
      this.stopped.push(id);
      return {};
    });
    this.mock.on(ListQueryExecutionsCommand).callsFake(() => ({
      QueryExecutionIds: ['old-1', ...this.running],
    }));
    this.mock.on(BatchGetQueryExecutionCommand).callsFake(({ QueryExecutionIds }) => ({
      QueryExecutions: QueryExecutionIds.map((id: string) => ({
        QueryExecutionId: id,
        Status: { State: this.running.includes(id) ? 'RUNNING' : 'SUCCEEDED' },
      })),
    }));
  }
}
