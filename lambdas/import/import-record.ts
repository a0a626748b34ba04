import type { EventRecord } from '../core/event-record';
import type { LakeWindow } from '../core/lake-window';
import { checkRecordSize } from '../ingest/normalise/encode-record';
import { InvalidEventError } from '../ingest/normalise/invalid-event';
import { isJsonObject } from '../ingest/normalise/json-fields';
import { notAppEvent } from '../ingest/normalise/not-app-event';
import { normaliseStreamEvent } from '../ingest/normalise/stream-record';

/** What every record of one import shares. */
export interface ImportContext {
  /** App ids to replace, old to new (`--app-map old=new`), applied before normalising. */
  readonly appMap: ReadonlyMap<string, string>;
  /** ms since epoch, for records without an arrival time: the file's last change, so a re-import gives the same record. */
  readonly arrivalTimestamp: number;
  /** The lake the events go to: events dated outside it are rejected, naming the setting that moves its first day. */
  readonly lake: LakeWindow;
  /** ms since epoch: when the import stores the events, which an event may be dated at most a day after. */
  readonly importedAt: number;
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
 * One exported record through the stream transformer's normaliser and lake window, called as
 * the transformer calls it (docs/CONTRACT.md §2c): each record on its own, so an exact
 * duplicate (a Firehose redelivery) gets the same event id and counts once; stored now, so an
 * event may be dated at most a day after the import, as after its arrival on the stream. An app
 * event becomes the §1 record; a Pinpoint messaging event is skipped by type; anything the
 * normaliser rejects, an event dated outside the lake and an event too large for Firehose are
 * rejected with the reason.
 */
export function importRecord(value: unknown, context: ImportContext): ImportOutcome {
  const other = notAppEvent(value);
  if (other) return { kind: 'skipped', eventType: other.eventType };
  try {
    const record = checkRecordSize(
      normaliseStreamEvent(withMappedAppId(value, context.appMap), {
        arrivalTimestamp: context.arrivalTimestamp,
        storedAt: context.importedAt,
        lake: context.lake,
      }),
    );
    return { kind: 'event', record };
  } catch (err) {
    if (err instanceof InvalidEventError) return { kind: 'rejected', reason: err.message };
    throw err;
  }
}
