/**
 * The limits every door enforces. The per-request and per-event ones are Amazon Pinpoint's
 * and Mobile Analytics' own PutEvents limits (docs/CONTRACT.md §2a/§2b); the record limit is
 * Amazon Data Firehose's, so that no accepted event can fail the delivery batch later.
 */

/** Events in one Pinpoint PutEvents request. */
export const MAX_EVENTS_PER_REQUEST = 100;

/** Body of one Pinpoint PutEvents request: 4 MB (4096 KB, counted in binary units like the 1024 KB below). */
export const MAX_PINPOINT_BODY_BYTES = 4 * 1024 * 1024;

/** Body of one Mobile Analytics PutEvents request: 1024 KB. */
export const MAX_MOBILE_ANALYTICS_BODY_BYTES = 1024 * 1024;

/** Attributes plus metrics on one event. */
export const MAX_ATTRIBUTES_AND_METRICS = 40;

/** Characters in an attribute or metric name. */
export const MAX_KEY_CHARS = 50;

/** Characters in an attribute value. */
export const MAX_ATTRIBUTE_VALUE_CHARS = 200;

/** Bytes of one encoded record: Firehose takes at most 1,000 KiB per record. */
export const MAX_FIREHOSE_RECORD_BYTES = 1000 * 1024;

/** Lowest and highest timestamps (ms since epoch) a record may carry: 1970-01-01 to 9999-12-31 UTC. */
export const MIN_EPOCH_MS = 0;
export const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
