import type { EventRecord } from '../../core/event-record';
import { objectAt } from './json-fields';
import { normaliseLegacyFlatRecord } from './legacy-flat-record';
import { normaliseNestedRecord } from './nested-record';

/**
 * A record that reached the delivery stream without passing the HTTP doors (docs/CONTRACT.md §2c):
 * the legacy flat layout (recognised by `application_key` or `unique_id`), else the nested
 * Pinpoint event-stream layout, which includes the §1 record itself (direct producers send
 * that). `arrivalTimestamp` is used when the record has none. Throws InvalidEventError.
 */
export function normaliseStreamRecord(value: unknown, arrivalTimestamp: number): EventRecord {
  const record = objectAt(value, 'the record');
  const flat = Object.hasOwn(record, 'application_key') || Object.hasOwn(record, 'unique_id');
  return flat
    ? normaliseLegacyFlatRecord(record, arrivalTimestamp)
    : normaliseNestedRecord(record, arrivalTimestamp);
}
