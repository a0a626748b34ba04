import { join } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBValue,
} from '@duckdb/node-api';
import { EVENT_COLUMNS, PARTITION_COLUMNS } from '../../lambdas/core/event-record';
import { EVENTS_PREFIX, EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import type { QueryEngine, QueryResult, Row, SqlParam } from '../../lambdas/core/query-engine';
import { sqlString } from '../../lambdas/core/sql-literal';
import { TRINO_MACROS } from './duckdb-macros';
import { duckdbType } from './duckdb-schema';

export interface DuckDbEngineOptions {
  /** The local lake folder: Parquet files under `events/app_id=<id>/dt=<YYYY-MM-DD>/`. */
  readonly dataDir: string;
  /** An open database to share, e.g. with the local sink. @default a new in-memory database */
  readonly instance?: DuckDBInstance;
}

/**
 * Runs KPI SQL on embedded DuckDB over the local lake, the way Athena runs it over S3. Each
 * query gets a fresh connection set to UTC, with the Trino-named macros and a view `events`
 * over the lake's Parquet files (app_id and dt read from the path as VARCHAR, as in Glue). The
 * view is defined per query, so files written since the last query are read, and an empty
 * lake reads as an empty table. Parameters are bound, never spliced.
 */
export class DuckDbEngine implements QueryEngine {
  private readonly instance: Promise<DuckDBInstance>;
  private readonly files: string;

  constructor(private readonly options: DuckDbEngineOptions) {
    this.instance = options.instance ? Promise.resolve(options.instance) : DuckDBInstance.create(':memory:');
    this.files = join(options.dataDir, EVENTS_PREFIX, 'app_id=*', 'dt=*', '*.parquet');
  }

  async query(sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
    const connection = await (await this.instance).connect();
    try {
      await connection.run(
        `SET TimeZone = 'UTC';\n${TRINO_MACROS.join(';\n')};\n${await this.eventsView(connection)}`,
      );
      const statement = await connection.prepare(sql);
      params.forEach((value, i) => {
        if (typeof value === 'string') statement.bindVarchar(i + 1, value);
        else if (Number.isSafeInteger(value)) statement.bindBigInt(i + 1, BigInt(value));
        else statement.bindDouble(i + 1, value);
      });
      const reader = await statement.runAndReadAll();
      return { rows: reader.getRowObjects().map(toRow) };
    } finally {
      connection.closeSync();
    }
  }

  /** Closes the database, unless it was given to the engine (then its owner closes it). */
  async close(): Promise<void> {
    if (!this.options.instance) (await this.instance).closeSync();
  }

  private async eventsView(connection: DuckDBConnection): Promise<string> {
    const found = await connection.runAndReadAll(`SELECT file FROM glob(${sqlString(this.files)}) LIMIT 1`);
    if (found.currentRowCount > 0) {
      return `CREATE OR REPLACE TEMP VIEW ${EVENTS_TABLE} AS SELECT * FROM read_parquet(${sqlString(this.files)}, hive_partitioning = true, hive_types = {'app_id': VARCHAR, 'dt': VARCHAR})`;
    }
    const columns = [...EVENT_COLUMNS, ...PARTITION_COLUMNS].map(
      (c) => `CAST(NULL AS ${duckdbType(c.type)}) AS "${c.name}"`,
    );
    return `CREATE OR REPLACE TEMP VIEW ${EVENTS_TABLE} AS SELECT ${columns.join(', ')} WHERE false`;
  }
}

function toValue(value: DuckDBValue): Row[string] {
  if (
    value === null ||
    typeof value === 'number' ||
    typeof value === 'string' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value;
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBDateValue) return value.toString();
  return String(value);
}

function toRow(row: Record<string, DuckDBValue>): Row {
  return Object.fromEntries(Object.entries(row).map(([name, value]) => [name, toValue(value)]));
}
