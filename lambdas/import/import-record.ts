import { utcDay } from '../core/calendar-day';
import type { EventRecord } from '../core/event-record';
import { checkRecordSize } from '../ingest/normalise/encode-record';
import { InvalidEventError } from '../ingest/normalise/invalid-event';
import { isJsonObject } from '../ingest/normalise/json-fields';
import { notAppEvent } from '../ingest/normalise/not-app-event';
import { normaliseStreamRecord } from '../ingest/normalise/stream-record';

/** The lake's first day and how to change it, for the reason given to events before it. */
export interface LakeStart {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  /** The setting that holds it and how to change it, e.g. `the stack's lakeStartDate (-c lakeStartDate=YYYY-MM-DD)`. */
  readonly setting: string;
}

/** What every record of one import shares. */
export interface ImportContext {
  /** App ids to replace, old to new (`--app-map old=new`), applied before normalising. */
  readonly appMap: ReadonlyMap<string, string>;
  /** ms since epoch, for records without an arrival time: the file's last change, so a re-import gives the same record. */
  readonly arrivalTimestamp: number;
  /** Events before this day are rejected, naming the setting. @default no limit */
  readonly lakeStart?: LakeStart;
}

export type ImportOutcome =
  | { readonly kind: 'event'; readonly record: EventRecord }
  | { readonly kind: 'skipped'; readonly eventType: string }
  | { readonly kind: 'rejected'; readonly reason: string };

/** The record with its app id replaced where the map says so, in either stream layout. */
function withMappedAppId(value: unknown, appMap: ReadonlyMap<string, string>): unknown {
  if (appMap.size === 0 || !isJsonObject(value)) return value;
  const flat = value.application_key;
  if (typeof flat === 'string' && appMap.has(flat)) return { ...value, application_key: appMap.get(flat) };
  const application = value.application;
  const nested = isJsonObject(application) ? application.app_id : undefined;
  if (typeof nested === 'string' && appMap.has(nested)) {
    return { ...value, application: { ...(application as object), app_id: appMap.get(nested) } };
  }
  return value;
}

/**
 * One exported record through the same normaliser as the stream transformer
 * (docs/CONTRACT.md §2c): an app event becomes the §1 record; a Pinpoint messaging event is
 * skipped by type; anything the normaliser rejects, an event too large for Firehose, and an
 * event before the lake's start are rejected with the reason.
 */
export function importRecord(value: unknown, context: ImportContext): ImportOutcome {
  const other = notAppEvent(value);
  if (other) return { kind: 'skipped', eventType: other.eventType };
  try {
    const record = checkRecordSize(
      normaliseStreamRecord(withMappedAppId(value, context.appMap), context.arrivalTimestamp),
    );
    const start = context.lakeStart;
    if (start && utcDay(record.event_timestamp) < start.day) {
      const when = new Date(record.event_timestamp).toISOString();
      return {
        kind: 'rejected',
        reason: `event_timestamp ${when} is before the lake's start date ${start.day}, so no query would see it: set ${start.setting} to an earlier day and import again`,
      };
    }
    return { kind: 'event', record };
  } catch (err) {
    if (err instanceof InvalidEventError) return { kind: 'rejected', reason: err.message };
    throw err;
  }
}
