import { join } from 'node:path';
import { ROLLUPS_PREFIX } from '../../lambdas/core/lake-layout';
import { isPerDay, type RollupTable } from '../../lambdas/rollups/rollup-tables';

/**
 * Where the local lake keeps a rollup table's files, in the layout of `events/`:
 * `rollups/<folder>/app_id=<id>/dt=<day>/*.parquet` for the tables per day and
 * `rollups/<folder>/app_id=<id>/*.parquet` for `rollup_clients`.
 */

/** The folder of one app's (and, for a table per day, one day's) files. */
export function rollupDir(dataDir: string, table: RollupTable, appId: string, dt?: string): string {
  if (isPerDay(table) !== (dt !== undefined)) {
    throw new Error(`${table.name} ${isPerDay(table) ? 'needs' : 'has no'} a day in its path`);
  }
  return join(
    dataDir,
    ROLLUPS_PREFIX,
    table.folder,
    `app_id=${appId}`,
    ...(dt === undefined ? [] : [`dt=${dt}`]),
  );
}
