import { PARTITION_COLUMNS } from '../lambdas/core/event-record';
import { EVENTS_PREFIX } from '../lambdas/core/lake-layout';

/**
 * The events prefix with one `name=<value>/` segment per partition column, in path order:
 * `events/app_id=<v>/dt=<v>/`. Firehose writes with `!{partitionKeyFromLambda:name}` values and
 * the Glue projection template reads with `${name}`, so both come from this one function.
 */
export function partitionPrefix(placeholder: (column: string) => string): string {
  return EVENTS_PREFIX + PARTITION_COLUMNS.map((c) => `${c.name}=${placeholder(c.name)}/`).join('');
}
