import { mkdir, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import { inlineParameters, sqlString } from '../../lambdas/core/sql-literal';
import type { SqlText } from '../../lambdas/kpi/sql/sql-text';
import {
  activityRowsSql,
  type BuildRange,
  clientRowsSql,
  daySummarySql,
  eventStatsRowsSql,
} from '../../lambdas/rollups/rollup-sql';
import {
  ROLLUP_ACTIVITY,
  ROLLUP_CLIENTS,
  ROLLUP_EVENT_STATS,
  type RollupTable,
} from '../../lambdas/rollups/rollup-tables';
import { TRINO_MACROS } from '../duckdb/duckdb-macros';
import { duckdbType } from '../duckdb/duckdb-schema';
import { ensureDir, orIfMissing, parquetFiles, partitionsUnder, syncFile } from '../lake/lake-files';

/**
 * Builds an app's rollups for some UTC days from their raw Parquet files, with the
 * engine-neutral SQL of `lambdas/rollups/rollup-sql.ts` on DuckDB, into a staging folder: the
 * files are synced but not in the lake; compaction commits them (`local/lake/compact.ts`).
 */

export interface RollupDaySource {
  readonly dt: string;
  /** The partition's raw Parquet files (absolute paths) the day's rollup is built from. */
  readonly files: readonly string[];
}

export interface RollupBuildInput {
  readonly appId: string;
  /** In day order. */
  readonly days: readonly RollupDaySource[];
  /** The app's current `rollup_clients` file; absent: the app has no clients yet. */
  readonly clientsFile?: string;
}

export interface BuiltDay {
  readonly dt: string;
  /** Staged files by table name; a table without rows for the day has none. */
  readonly files: Readonly<Record<string, string>>;
  readonly records: number;
  readonly latestArrival: number;
}

export interface BuiltRollups {
  /** The app's new `rollup_clients` file, staged: every client, old and new. */
  readonly clientsFile: string;
  readonly days: readonly BuiltDay[];
}

/** Days built per statement: bounds the memory a build of a long history takes. */
const DAYS_PER_BATCH = 10;

const rendered = (text: SqlText) =>
  inlineParameters(
    text.text,
    text.params.map((p) => {
      if (typeof p === 'string') throw new Error(`Rollup SQL takes no named parameter, got ${p}`);
      return p.value;
    }),
  );

const columnList = (table: RollupTable) => table.columns.map((c) => c.name).join(', ');

const emptyClients = `SELECT ${[...ROLLUP_CLIENTS.partitionColumns, ...ROLLUP_CLIENTS.columns]
  .map((c) => `CAST(NULL AS ${duckdbType(c.type)}) AS ${c.name}`)
  .join(', ')} WHERE false`;

/** Writes a day table's rows, one file per day, ordered for compression, under `dir/app_id=/dt=/`. */
async function writeDayTable(
  connection: DuckDBConnection,
  table: RollupTable,
  select: SqlText,
  dir: string,
): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  await connection.run(
    `COPY (SELECT app_id, dt, ${columnList(table)} FROM (${rendered(select)}) AS table_rows ORDER BY dt, ${table.sortedBy.join(', ')})
     TO ${sqlString(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (app_id, dt), FILENAME_PATTERN '${table.folder}_{uuid}')`,
  );
}

/** Builds the rollups of the given days into `stagingDir` (a new, empty folder). */
export async function buildRollups(
  connection: DuckDBConnection,
  stagingDir: string,
  input: RollupBuildInput,
): Promise<BuiltRollups> {
  const { appId } = input;
  await ensureDir(stagingDir);
  await connection.run(`SET TimeZone = 'UTC';\n${TRINO_MACROS.join(';\n')};`);
  const clientsSource = input.clientsFile
    ? `SELECT ${sqlString(appId)} AS app_id, ${columnList(ROLLUP_CLIENTS)} FROM read_parquet(${sqlString(input.clientsFile)})`
    : emptyClients;
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${ROLLUP_CLIENTS.name} AS ${clientsSource}`);
  const summaries = new Map<string, { records: number; latestArrival: number }>();
  try {
    for (let i = 0; i < input.days.length; i += DAYS_PER_BATCH) {
      const batch = input.days.slice(i, i + DAYS_PER_BATCH);
      const files = batch.flatMap((day) => day.files);
      const first = batch[0];
      const last = batch.at(-1);
      if (!first || !last || files.length === 0) continue;
      const range: BuildRange = { appId, firstDt: first.dt, lastDt: last.dt };
      // Each day's files by list, its partition values as constants: a file may still be staged.
      const days = batch
        .filter((day) => day.files.length > 0)
        .map(
          (day) =>
            `SELECT *, ${sqlString(appId)} AS app_id, ${sqlString(day.dt)} AS dt FROM read_parquet([${day.files.map(sqlString).join(', ')}], hive_partitioning = false)`,
        );
      await connection.run(`CREATE OR REPLACE TEMP VIEW ${EVENTS_TABLE} AS ${days.join(' UNION ALL ')}`);
      await connection.run(`CREATE OR REPLACE TEMP TABLE client_rows AS ${rendered(clientRowsSql(range))}`);
      await connection.run(
        `DELETE FROM ${ROLLUP_CLIENTS.name} WHERE client_id IN (SELECT client_id FROM client_rows)`,
      );
      await connection.run(
        `INSERT INTO ${ROLLUP_CLIENTS.name} SELECT app_id, ${columnList(ROLLUP_CLIENTS)} FROM client_rows`,
      );
      const batchDir = (table: RollupTable) => join(stagingDir, table.folder, `batch-${i}`);
      await writeDayTable(connection, ROLLUP_ACTIVITY, activityRowsSql(range), batchDir(ROLLUP_ACTIVITY));
      await writeDayTable(
        connection,
        ROLLUP_EVENT_STATS,
        eventStatsRowsSql(range),
        batchDir(ROLLUP_EVENT_STATS),
      );
      const rows = (await connection.runAndReadAll(rendered(daySummarySql(range)))).getRowObjects();
      for (const row of rows) {
        summaries.set(String(row.dt), {
          records: Number(row.records),
          latestArrival: Number(row.latest_arrival),
        });
      }
    }
    const clientsFile = join(stagingDir, `clients.parquet`);
    await connection.run(
      `COPY (SELECT ${columnList(ROLLUP_CLIENTS)} FROM ${ROLLUP_CLIENTS.name} ORDER BY ${ROLLUP_CLIENTS.sortedBy.join(', ')})
       TO ${sqlString(clientsFile)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await syncFile(clientsFile);
    const staged = new Map<string, Record<string, string>>();
    for (const table of [ROLLUP_ACTIVITY, ROLLUP_EVENT_STATS]) {
      const tableDir = join(stagingDir, table.folder);
      for (const batch of await orIfMissing(readdir(tableDir), [])) {
        for (const partition of await partitionsUnder(join(tableDir, batch))) {
          const [name, ...more] = await parquetFiles(partition.dir);
          if (!name || more.length > 0)
            throw new Error(`Expected one ${table.name} file in ${partition.dir}`);
          const path = join(partition.dir, name);
          await syncFile(path);
          staged.set(partition.dt, { ...staged.get(partition.dt), [table.name]: path });
        }
      }
    }
    const days = input.days.map((day) => {
      const summary = summaries.get(day.dt) ?? { records: 0, latestArrival: 0 };
      return { dt: day.dt, files: staged.get(day.dt) ?? {}, ...summary };
    });
    return { clientsFile, days };
  } finally {
    await connection.run(
      `DROP VIEW IF EXISTS ${EVENTS_TABLE}; DROP TABLE IF EXISTS client_rows; DROP TABLE IF EXISTS ${ROLLUP_CLIENTS.name}`,
    );
  }
}
