import type { DuckDBInstance } from '@duckdb/node-api';
import { sqlString } from '../../lambdas/core/sql-literal';
import type { TableRead } from '../../lambdas/kpi/kpi-planner';
import type { ScanSizer } from '../../lambdas/kpi/planned-kpi-source';

/**
 * What a query read, in the local lake: the compressed size of the column chunks of the columns
 * it reads, in the files of the partitions it reads, from the files' Parquet footers. That is
 * what Athena bills for the same files (it reads only the columns a query names), so the same
 * sums estimate a deployed query's bytes (bench/).
 */

/** Compressed bytes per column path (`client.client_id`) of a Parquet file. */
export type ColumnBytes = ReadonlyMap<string, number>;

const MAX_CACHED_FILES = 20_000;

/** The Parquet files (absolute paths) a read covers, in the lake state a query reads. */
export type ReadFiles = (read: TableRead) => readonly string[];

export class LakeScanSizer {
  /** Lake files never change once written (a rewrite gets a new name), so their footers are kept. */
  private readonly footers = new Map<string, ColumnBytes>();

  constructor(private readonly instance: DuckDBInstance) {}

  /** The {@link ScanSizer} of one query's view of the lake: `filesOf` lists what a read covers in it. */
  sizer(filesOf: ReadFiles): ScanSizer {
    return { bytes: (reads) => this.bytes(reads, filesOf) };
  }

  async bytes(reads: readonly TableRead[], filesOf: ReadFiles): Promise<number> {
    let total = 0;
    for (const read of reads) {
      const footers = await this.columnBytes(filesOf(read));
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
}

/** The bytes of the columns read: a column read whole includes its nested ones. */
export function bytesOf(columns: ColumnBytes, read: readonly string[]): number {
  let total = 0;
  for (const [path, bytes] of columns) {
    if (read.some((c) => path === c || path.startsWith(`${c}.`))) total += bytes;
  }
  return total;
}
