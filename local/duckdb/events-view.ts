import { EVENT_COLUMNS, PARTITION_COLUMNS } from '../../lambdas/core/event-record';
import { EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import { sqlString } from '../../lambdas/core/sql-literal';
import { duckdbType } from './duckdb-schema';

/** What the `events` view of one query reads. */
export interface EventsParts {
  /** Parquet files in the lake layout: a glob or a list of paths; none when undefined or empty. */
  readonly parquet?: string | readonly string[];
  /**
   * Tables of events not yet in Parquet (see `local/lake/pending-events.ts`), each read up to
   * its `maxSeq` (rows with a larger `_seq` are not read). @default none
   */
  readonly tables?: readonly { readonly name: string; readonly maxSeq: number }[];
}

const COLUMNS = [...EVENT_COLUMNS, ...PARTITION_COLUMNS].map((c) => `"${c.name}"`).join(', ');

/** Whether a query's SQL names the `events` view (any mention counts, a column of that name too). */
export const readsEvents = (sql: string): boolean => new RegExp(`\\b${EVENTS_TABLE}\\b`).test(sql);

/**
 * The `CREATE TEMP VIEW events` statement over Parquet files (app_id and dt read from the
 * path as VARCHAR, as in Glue) and event tables, as one UNION ALL with the columns in order.
 * With nothing to read it is an empty table of the same columns.
 */
export function eventsViewSql(parts: EventsParts): string {
  const selects: string[] = [];
  const { parquet, tables = [] } = parts;
  if (parquet !== undefined && parquet.length > 0) {
    const files = typeof parquet === 'string' ? sqlString(parquet) : `[${parquet.map(sqlString).join(', ')}]`;
    selects.push(
      `SELECT ${COLUMNS} FROM read_parquet(${files}, hive_partitioning = true, hive_types = {'app_id': VARCHAR, 'dt': VARCHAR})`,
    );
  }
  for (const { name, maxSeq } of tables) {
    selects.push(`SELECT ${COLUMNS} FROM "${name}" WHERE _seq <= ${Math.trunc(maxSeq)}`);
  }
  if (selects.length === 0) {
    const empty = [...EVENT_COLUMNS, ...PARTITION_COLUMNS].map(
      (c) => `CAST(NULL AS ${duckdbType(c.type)}) AS "${c.name}"`,
    );
    selects.push(`SELECT ${empty.join(', ')} WHERE false`);
  }
  return `CREATE OR REPLACE TEMP VIEW ${EVENTS_TABLE} AS ${selects.join('\nUNION ALL ')}`;
}
