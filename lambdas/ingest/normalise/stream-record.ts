import type { EventRecord } from '../../core/event-record';
import type { LakeWindow } from '../../core/lake-window';
import { objectAt } from './json-fields';
import { normaliseLegacyFlatRecord } from './legacy-flat-record';
import { normaliseNestedRecord } from './nested-record';
import { withinLake } from './timestamps';

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

/** When a stream record is judged: when it reached the stream, when it is stored, and the lake. */
export interface StreamEventContext {
  /** When the record reached the stream; its `arrival_timestamp` when it carries none. */
  readonly arrivalTimestamp: number;
  /** When it is being stored, which an event may be dated at most a day after. @default arrivalTimestamp */
  readonly storedAt?: number;
  readonly lake: LakeWindow;
}

/**
 * A stream record as the §1 record, when its day is in the lake (`lambdas/core/lake-window.ts`);
 * else an InvalidEventError saying why. What the transformer, the replay command and the import
 * all store. Each stream record is a request of its own (docs/CONTRACT.md §1), so a generated
 * event id depends on the record alone: the same record delivered twice gets the same id.
 */
export function normaliseStreamEvent(value: unknown, context: StreamEventContext): EventRecord {
  const event = normaliseStreamRecord(value, context.arrivalTimestamp);
  withinLake(event.event_timestamp, 'event_timestamp', {
    arrivalTimestamp: context.storedAt ?? context.arrivalTimestamp,
    lake: context.lake,
  });
  return event;
}
