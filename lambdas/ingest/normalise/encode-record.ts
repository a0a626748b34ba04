import type { EventRecord } from '../../core/event-record';
import { InvalidEventError } from './invalid-event';
import { MAX_FIREHOSE_RECORD_BYTES } from './limits';

/** One record as the lake's producers write it: its JSON on one line, newline-terminated. */
export function encodeRecord(record: EventRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * Rejects an event whose encoded record Firehose would refuse (over 1,000 KiB), so that it
 * gets its own 400 instead of failing the whole delivery batch.
 */
export function checkRecordSize(record: EventRecord): EventRecord {
  const bytes = Buffer.byteLength(encodeRecord(record));
  if (bytes > MAX_FIREHOSE_RECORD_BYTES) {
    throw new InvalidEventError(
      `the event is ${bytes} bytes as a lake record; at most ${MAX_FIREHOSE_RECORD_BYTES} (1000 KiB) fit in one Firehose record: send a smaller Endpoint, attributes or names`,
    );
  }
  return record;
}
