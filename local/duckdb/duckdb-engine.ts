import { join } from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBValue,
} from '@duckdb/node-api';
import { type Column, EVENT_COLUMNS, PARTITION_COLUMNS } from '../../lambdas/core/event-record';
import { EVENTS_PREFIX, EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import type { QueryEngine, QueryResult, Row, SqlParam } from '../../lambdas/core/query-engine';
import { sqlString } from '../../lambdas/core/sql-literal';
import { ROLLUP_TABLES } from '../../lambdas/rollups/rollup-tables';
import { rollupFilesGlob } from '../rollups/rollup-files';
import { TRINO_MACROS } from './duckdb-macros';
import { duckdbType } from './duckdb-schema';

interface LakeTable {
  readonly name: string;
  /** The table's Parquet files; partition columns come from the paths. */
  readonly glob: string;
  readonly columns: readonly Column[];
  readonly partitionColumns: readonly Column[];
}

export interface DuckDbEngineOptions {
  /** The local lake folder: Parquet files under `events/app_id=<id>/dt=<YYYY-MM-DD>/`. */
  readonly dataDir: string;
  /** An open database to share, e.g. with the local sink. @default a new in-memory database */
  readonly instance?: DuckDBInstance;
}

/**
 * Runs KPI SQL on embedded DuckDB over the local lake, the way Athena runs it over S3. Each
 * query gets a fresh connection set to UTC, with the Trino-named macros and a view per table it
 * names (`events` and the rollup tables) over the lake's Parquet files (partition columns read
 * from the path as VARCHAR, as in Glue). The views are defined per query, so files written since
 * the last query are read, and a table without files reads as an empty one. Parameters are
 * bound, never spliced.
 */
export class DuckDbEngine implements QueryEngine {
  private readonly instance: Promise<DuckDBInstance>;
  private readonly tables: readonly LakeTable[];

  constructor(private readonly options: DuckDbEngineOptions) {
    this.instance = options.instance ? Promise.resolve(options.instance) : DuckDBInstance.create(':memory:');
    this.tables = [
      {
        name: EVENTS_TABLE,
        glob: join(options.dataDir, EVENTS_PREFIX, 'app_id=*', 'dt=*', '*.parquet'),
        columns: EVENT_COLUMNS,
        partitionColumns: PARTITION_COLUMNS,
      },
      ...ROLLUP_TABLES.map((table) => ({
        name: table.name,
        glob: rollupFilesGlob(options.dataDir, table),
        columns: table.columns,
        partitionColumns: table.partitionColumns,
      })),
    ];
  }

  async query(sql: string, params: readonly SqlParam[]): Promise<QueryResult> {
    const connection = await (await this.instance).connect();
    try {
      const views: string[] = [];
      for (const table of this.tables) {
        if (new RegExp(`\\b${table.name}\\b`).test(sql)) views.push(await view(connection, table));
      }
      await connection.run(`SET TimeZone = 'UTC';\n${[...TRINO_MACROS, ...views].join(';\n')};`);
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
}

/** A view of a lake table over its files, or an empty view of its columns when it has none. */
async function view(connection: DuckDBConnection, table: LakeTable): Promise<string> {
  const found = await connection.runAndReadAll(`SELECT file FROM glob(${sqlString(table.glob)}) LIMIT 1`);
  if (found.currentRowCount > 0) {
    const types = table.partitionColumns.map((c) => `'${c.name}': VARCHAR`).join(', ');
    return `CREATE OR REPLACE TEMP VIEW ${table.name} AS SELECT * FROM read_parquet(${sqlString(table.glob)}, hive_partitioning = true, hive_types = {${types}})`;
  }
  const columns = [...table.columns, ...table.partitionColumns].map(
    (c) => `CAST(NULL AS ${duckdbType(c.type)}) AS "${c.name}"`,
  );
  return `CREATE OR REPLACE TEMP VIEW ${table.name} AS SELECT ${columns.join(', ')} WHERE false`;
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
