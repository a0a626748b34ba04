import { isValidAppId } from './identifiers';

/**
 * The lake's layout, shared by the Firehose prefix (deployed), the Glue partition
 * projection template, and the local lake folder: `events/app_id=<id>/dt=<YYYY-MM-DD>/`.
 */
export const EVENTS_PREFIX = 'events/';

/** The table of all events: the Glue table (Athena) and the DuckDB view over the local lake. */
export const EVENTS_TABLE = 'events';
export const ERRORS_PREFIX = 'errors/';
export const ATHENA_RESULTS_PREFIX = 'athena-results/';

/** Partition path below the bucket or lake root, with a trailing slash. */
export function partitionPath(appId: string, dt: string): string {
  return `${EVENTS_PREFIX}app_id=${appId}/dt=${dt}/`;
}

const APP_FOLDER = /^app_id=(.+)$/;

/**
 * The app id an `app_id=<id>` folder (or S3 prefix segment) names, or undefined when the name
 * is not such a folder or the id is not a valid app id (it could not be asked for).
 */
export function appIdOfFolder(name: string): string | undefined {
  const id = APP_FOLDER.exec(name)?.[1];
  return id !== undefined && isValidAppId(id) ? id : undefined;
}
