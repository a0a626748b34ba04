import { sqlString } from '../../lambdas/core/sql-literal';
import { ROLLUP_TABLES } from '../../lambdas/rollups/rollup-tables';
import { duckdbType } from './duckdb-schema';

/** The rollup files one query reads, by rollup table name (absolute paths in the lake layout). */
export type RollupFiles = ReadonlyMap<string, readonly string[]>;

/** A temporary view a query needs: its name and the statement that creates it. */
export interface ViewStatement {
  readonly name: string;
  readonly sql: string;
}

/**
 * The `CREATE TEMP VIEW` statements of the rollup tables the SQL names, over the given files
 * (partition columns from the paths as VARCHAR, as in Glue); a table without files is an empty
 * table of its columns.
 */
export function rollupViewsSql(sql: string, files: RollupFiles): ViewStatement[] {
  return ROLLUP_TABLES.filter((table) => new RegExp(`\\b${table.name}\\b`).test(sql)).map((table) => {
    const list = files.get(table.name) ?? [];
    if (list.length > 0) {
      const types = table.partitionColumns.map((c) => `'${c.name}': VARCHAR`).join(', ');
      return {
        name: table.name,
        sql: `CREATE OR REPLACE TEMP VIEW ${table.name} AS SELECT * FROM read_parquet([${list.map(sqlString).join(', ')}], hive_partitioning = true, hive_types = {${types}})`,
      };
    }
    const columns = [...table.columns, ...table.partitionColumns].map(
      (c) => `CAST(NULL AS ${duckdbType(c.type)}) AS "${c.name}"`,
    );
    return {
      name: table.name,
      sql: `CREATE OR REPLACE TEMP VIEW ${table.name} AS SELECT ${columns.join(', ')} WHERE false`,
    };
  });
}
