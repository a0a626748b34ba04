import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import { sqlString } from '../../lambdas/core/sql-literal';
import { renderBound } from '../../lambdas/kpi/sql/sql-text';
import {
  activityRowsSql,
  type BuildRange,
  clientDaysRowsSql,
  clientRowsSql,
  daySummarySql,
  eventStatsRowsSql,
} from '../../lambdas/rollups/rollup-sql';
import {
  ROLLUP_ACTIVITY,
  ROLLUP_CLIENT_DAYS,
  ROLLUP_CLIENTS,
  ROLLUP_EVENT_STATS,
  type RollupTable,
} from '../../lambdas/rollups/rollup-tables';
import { TRINO_MACROS } from '../duckdb/duckdb-macros';
import { duckdbType } from '../duckdb/duckdb-schema';
import { stagingPath, syncFile } from '../lake/lake-files';

/**
 * Builds an app's rollups of one UTC day from the day's raw Parquet files, with the
 * engine-neutral SQL of `lambdas/rollups/rollup-sql.ts` on DuckDB, into new files in the lake's
 * staging folder: the files are synced but not in the lake; a compaction commits them
 * (`lake-rollups.ts`).
 */

export interface RollupBuildInput {
  readonly appId: string;
  readonly dt: string;
  /** The partition's raw Parquet files (absolute paths; one may still be staged). */
  readonly files: readonly string[];
  /** The app's current `rollup_clients` file; absent: the app has no clients yet. */
  readonly clientsFile?: string;
}

export interface BuiltRollups {
  /** The app's new `rollup_clients` file, staged: every client, old and new. */
  readonly clientsFile: string;
  /** The day's staged files by table name (a table without rows for the day has an empty file). */
  readonly files: Readonly<Record<string, string>>;
  /** Raw records read (copies and `_endpoint.*` records included). */
  readonly records: number;
  /** The latest arrival_timestamp (ms) among them; 0 when none. */
  readonly latestArrival: number;
}

const columnList = (table: RollupTable) => table.columns.map((c) => c.name).join(', ');

const emptyClients = `SELECT ${[...ROLLUP_CLIENTS.partitionColumns, ...ROLLUP_CLIENTS.columns]
  .map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${c.name}`)
  .join(', ')} WHERE false`;

/** Writes a table's rows (its columns, ordered for compression) into a new staged file, synced. */
async function writeTable(
  connection: DuckDBConnection,
  dataDir: string,
  table: RollupTable,
  select: string,
): Promise<string> {
  const file = await stagingPath(dataDir, '.parquet');
  await connection.run(
    `COPY (SELECT ${columnList(table)} FROM (${select}) AS table_rows ORDER BY ${table.sortedBy.join(', ')})
     TO ${sqlString(file)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  await syncFile(file);
  return file;
}

/** Builds the rollups of one day of an app into the data dir's staging folder. */
export async function buildRollups(
  connection: DuckDBConnection,
  dataDir: string,
  input: RollupBuildInput,
): Promise<BuiltRollups> {
  const { appId, dt } = input;
  await connection.run(`SET TimeZone = 'UTC';\n${TRINO_MACROS.join(';\n')};`);
  const clientsSource = input.clientsFile
    ? `SELECT ${sqlString(appId)} AS app_id, ${columnList(ROLLUP_CLIENTS)} FROM read_parquet(${sqlString(input.clientsFile)})`
    : emptyClients;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${ROLLUP_CLIENTS.name} AS ${clientsSource}`);
  try {
    const range: BuildRange = { appId, firstDt: dt, lastDt: dt };
    // The files by list, the partition values as constants: a file may still be staged.
    await connection.run(
      `CREATE OR REPLACE TEMP VIEW ${EVENTS_TABLE} AS SELECT *, ${sqlString(appId)} AS app_id, ${sqlString(dt)} AS dt FROM read_parquet([${input.files.map(sqlString).join(', ')}], hive_partitioning = false)`,
    );
    await connection.run(`CREATE OR REPLACE TEMP TABLE client_rows AS ${renderBound(clientRowsSql(range))}`);
    await connection.run(
      `DELETE FROM ${ROLLUP_CLIENTS.name} WHERE client_id IN (SELECT client_id FROM client_rows)`,
    );
    await connection.run(
      `INSERT INTO ${ROLLUP_CLIENTS.name} SELECT app_id, ${columnList(ROLLUP_CLIENTS)} FROM client_rows`,
    );
    // The day's activity once, as a table: its file and the client days are both read from it.
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE ${ROLLUP_ACTIVITY.name} AS ${renderBound(activityRowsSql(range))}`,
    );
    const files = {
      [ROLLUP_ACTIVITY.name]: await writeTable(
        connection,
        dataDir,
        ROLLUP_ACTIVITY,
        `SELECT * FROM ${ROLLUP_ACTIVITY.name}`,
      ),
      [ROLLUP_CLIENT_DAYS.name]: await writeTable(
        connection,
        dataDir,
        ROLLUP_CLIENT_DAYS,
        renderBound(clientDaysRowsSql(range)),
      ),
      [ROLLUP_EVENT_STATS.name]: await writeTable(
        connection,
        dataDir,
        ROLLUP_EVENT_STATS,
        renderBound(eventStatsRowsSql(range)),
      ),
    };
    const [summary] = (await connection.runAndReadAll(renderBound(daySummarySql(range)))).getRowObjects();
    const clientsFile = await writeTable(
      connection,
      dataDir,
      ROLLUP_CLIENTS,
      `SELECT * FROM ${ROLLUP_CLIENTS.name}`,
    );
    return {
      clientsFile,
      files,
      records: Number(summary?.records ?? 0),
      latestArrival: Number(summary?.latest_arrival ?? 0),
    };
  } finally {
    await connection.run(
      `DROP VIEW IF EXISTS ${EVENTS_TABLE}; DROP TABLE IF EXISTS client_rows; DROP TABLE IF EXISTS ${ROLLUP_CLIENTS.name}; DROP TABLE IF EXISTS ${ROLLUP_ACTIVITY.name}`,
    );
  }
}
