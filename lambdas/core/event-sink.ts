import type { EventRecord } from './event-record';

/**
 * Port: where accepted events go. Implementations: Firehose (deployed) and the local lake.
 *
 * `put` resolves only when every record is durably handed over. If any record cannot be,
 * it rejects with a {@link ServiceUnavailableError} or {@link TooManyRequestsError}
 * (from `./errors`), so the door answers 500/429 (the doors answer a 503 as 500, ADR 012) and
 * the client SDK retries: a request answered 202 has lost nothing.
 */
export interface EventSink {
  put(records: readonly EventRecord[]): Promise<void>;
}
