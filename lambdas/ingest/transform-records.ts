import type {
  FirehoseTransformationEvent,
  FirehoseTransformationEventRecord,
  FirehoseTransformationResult,
  FirehoseTransformationResultRecord,
} from 'aws-lambda';
import { utcDay } from '../core/calendar-day';
import type { EventRecord } from '../core/event-record';
import type { LakeWindow } from '../core/lake-window';
import { logger } from '../core/logger';
import { countAccepted, countRejected } from './metrics';
import { encodeRecord } from './normalise/encode-record';
import { InvalidEventError } from './normalise/invalid-event';
import { notAppEvent, notAppEventReason } from './normalise/not-app-event';
import { normaliseStreamEvent, type StreamEventContext } from './normalise/stream-record';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parse(data: string): unknown {
  let text: string;
  try {
    text = utf8.decode(Buffer.from(data, 'base64'));
  } catch {
    throw new InvalidEventError('the record is not UTF-8 text');
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidEventError(
      `the record is not one JSON value (one event per record): ${(err as Error).message}`,
    );
  }
}

/**
 * One Firehose record's data (base64, as the transformer receives it and as Firehose keeps it in
 * an error record's `rawData`) as the §1 record, when it is an app event (not a Pinpoint
 * messaging event) and its day is in the lake; else an InvalidEventError saying why. The
 * transformer and the replay command both use it.
 */
export function normaliseStreamData(data: string, context: StreamEventContext): EventRecord {
  const value = parse(data);
  const other = notAppEvent(value);
  if (other) throw new InvalidEventError(notAppEventReason(other));
  return normaliseStreamEvent(value, context);
}

function transform(
  record: FirehoseTransformationEventRecord,
  lake: LakeWindow,
): FirehoseTransformationResultRecord {
  try {
    const event = normaliseStreamData(record.data, {
      arrivalTimestamp: record.approximateArrivalTimestamp,
      lake,
    });
    return {
      recordId: record.recordId,
      result: 'Ok',
      data: Buffer.from(encodeRecord(event)).toString('base64'),
      metadata: { partitionKeys: { app_id: event.application.app_id, dt: utcDay(event.event_timestamp) } },
    };
  } catch (err) {
    if (!(err instanceof InvalidEventError)) throw err;
    logger.warn('record not normalised', { recordId: record.recordId, reason: err.message });
    return { recordId: record.recordId, result: 'ProcessingFailed', data: record.data };
  }
}

/**
 * The delivery stream's data transformation (docs/CONTRACT.md §2c): every record comes back under its
 * own recordId, either normalised to the §1 record (newline-terminated JSON, base64) with
 * its dynamic-partition keys `app_id` and `dt` (UTC day of event_timestamp), or, when it cannot
 * be normalised or is dated outside the lake (before its first day, or more than a day after it
 * reached Firehose), ProcessingFailed with its data unchanged, so Firehose keeps it under the
 * error prefix. Nothing is ever `Dropped`. Pinpoint messaging events (e-mail, SMS, campaign,
 * journey) are not app events and are ProcessingFailed too, with that reason (not-app-event.ts).
 */
export function transformRecords(
  event: FirehoseTransformationEvent,
  lake: LakeWindow,
): FirehoseTransformationResult {
  const records = event.records.map((record) => transform(record, lake));
  const ok = records.filter((r) => r.result === 'Ok').length;
  countAccepted(ok);
  countRejected(records.length - ok);
  return { records };
}
