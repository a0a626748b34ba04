import { utcDay } from '../../lambdas/core/calendar-day';
import { EVENT_COLUMNS, type EventRecord } from '../../lambdas/core/event-record';
import { sqlString } from '../../lambdas/core/sql-literal';
import { duckdbType } from '../duckdb/duckdb-schema';

/**
 * The lines of the lake's log: written here (one per event), read by DuckDB (queries load them,
 * conversion turns them into Parquet). A line is the event record of docs/CONTRACT.md §1 as JSON
 * plus the partition it belongs to: `app_id`, and `dt`, the UTC day of its timestamp.
 */

/** One log line, with its newline. */
export function lakeLine(record: EventRecord, dt = utcDay(record.event_timestamp)): string {
  const json = JSON.stringify(record);
  return `${json.slice(0, -1)},"app_id":${JSON.stringify(record.application.app_id)},"dt":"${dt}"}\n`;
}

const JSON_COLUMNS = `{${[
  ...EVENT_COLUMNS.map((c) => `${sqlString(c.jsonKey ?? c.name)}: ${sqlString(duckdbType(c.type))}`),
  "'app_id': 'VARCHAR'",
  "'dt': 'VARCHAR'",
].join(', ')}}`;
const SELECT = [...EVENT_COLUMNS.map((c) => `"${c.jsonKey ?? c.name}" AS "${c.name}"`), 'app_id', 'dt'].join(
  ', ',
);

/** A SELECT of the events in files of log lines: the lake's columns in order, then `app_id` and `dt`. */
export function readLogLines(paths: readonly string[]): string {
  const files = `[${paths.map(sqlString).join(', ')}]`;
  return `SELECT ${SELECT} FROM read_json(${files}, format = 'newline_delimited', columns = ${JSON_COLUMNS})`;
}

/** A SELECT of the distinct partitions (`app_id`, `dt`) in a file of log lines, reading nothing else. */
export function readLogPartitions(path: string): string {
  return `SELECT DISTINCT app_id, dt FROM read_json(${sqlString(path)}, format = 'newline_delimited', columns = {'app_id': 'VARCHAR', 'dt': 'VARCHAR'})`;
}
