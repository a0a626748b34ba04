import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { EVENTS_PREFIX, EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import type { DtRange } from '../../lambdas/core/rollup-catalog';
import { sqlString } from '../../lambdas/core/sql-literal';
import type { TableRead } from '../../lambdas/kpi/kpi-planner';
import type { ScanSizer } from '../../lambdas/kpi/planned-kpi-source';
import { ROLLUP_TABLES } from '../../lambdas/rollups/rollup-tables';
import { orIfMissing, parquetFiles } from '../lake/lake-files';
import { rollupAppDir, rollupDir } from '../rollups/rollup-files';

/**
 * What a query read, in the local lake: the compressed size of the column chunks of the columns
 * it reads, in the files of the partitions it reads, from the files' Parquet footers. That is
 * what Athena bills for the same files (it reads only the columns a query names), so the same
 * sums estimate a deployed query's bytes (bench/).
 */

/** Compressed bytes per column path (`client.client_id`) of a Parquet file. */
export type ColumnBytes = ReadonlyMap<string, number>;

const MAX_CACHED_FILES = 20_000;

export class LakeScanSizer implements ScanSizer {
  /** Lake files never change once written (a rewrite gets a new name), so their footers are kept. */
  private readonly footers = new Map<string, ColumnBytes>();

  constructor(
    private readonly dataDir: string,
    private readonly instance: DuckDBInstance,
  ) {}

  async bytes(reads: readonly TableRead[]): Promise<number> {
    let total = 0;
    for (const read of reads) {
      const files = await this.filesOf(read);
      const footers = await this.columnBytes(files);
      for (const columns of footers) total += bytesOf(columns, read.columns);
    }
    return total;
  }

  /** The column bytes of each file (read from the footers the first time). */
  async columnBytes(files: readonly string[]): Promise<ColumnBytes[]> {
    const missing = files.filter((f) => !this.footers.has(f));
    if (missing.length > 0) {
      if (this.footers.size + missing.length > MAX_CACHED_FILES) this.footers.clear();
      const connection = await this.instance.connect();
      try {
        const rows = (
          await connection.runAndReadAll(
            `SELECT file_name, path_in_schema, sum(total_compressed_size) AS bytes
             FROM parquet_metadata([${missing.map(sqlString).join(', ')}]) GROUP BY ALL`,
          )
        ).getRowObjects();
        const byFile = new Map<string, Map<string, number>>(missing.map((f) => [f, new Map()]));
        for (const row of rows) {
          const column = String(row.path_in_schema).split(', ').join('.');
          byFile.get(String(row.file_name))?.set(column, Number(row.bytes));
        }
        for (const [file, columns] of byFile) this.footers.set(file, columns);
      } finally {
        connection.closeSync();
      }
    }
    return files.map((f) => this.footers.get(f) ?? new Map());
  }

  /** The Parquet files a read covers. */
  async filesOf(read: TableRead): Promise<string[]> {
    const dirs: string[] = [];
    if (read.table === EVENTS_TABLE) {
      const appDir = join(this.dataDir, EVENTS_PREFIX, `app_id=${read.appId}`);
      for (const dt of await daysIn(appDir, read.days)) dirs.push(join(appDir, `dt=${dt}`));
    } else {
      const table = ROLLUP_TABLES.find((t) => t.name === read.table);
      if (!table) throw new Error(`No table ${read.table} in the lake`);
      if (read.days.length === 0) dirs.push(rollupDir(this.dataDir, table, read.appId));
      else {
        const appDir = rollupAppDir(this.dataDir, table, read.appId);
        for (const dt of await daysIn(appDir, read.days))
          dirs.push(rollupDir(this.dataDir, table, read.appId, dt));
      }
    }
    const files: string[] = [];
    for (const dir of dirs) files.push(...(await parquetFiles(dir)).map((name) => join(dir, name)));
    return files;
  }
}

/** The `dt=` folders of an app folder within the ranges. */
async function daysIn(appDir: string, ranges: readonly DtRange[]): Promise<string[]> {
  const names = await orIfMissing(readdir(appDir), []);
  return names
    .map((name) => /^dt=(.+)$/.exec(name)?.[1])
    .filter((dt): dt is string => dt !== undefined)
    .filter((dt) => ranges.some((r) => (r.from === undefined || dt >= r.from) && dt <= r.to))
    .sort();
}

/** The bytes of the columns read: a column read whole includes its nested ones. */
export function bytesOf(columns: ColumnBytes, read: readonly string[]): number {
  let total = 0;
  for (const [path, bytes] of columns) {
    if (read.some((c) => path === c || path.startsWith(`${c}.`))) total += bytes;
  }
  return total;
}
