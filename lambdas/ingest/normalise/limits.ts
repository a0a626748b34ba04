/**
 * The limits every door enforces. The per-request and per-event ones are Amazon Pinpoint's
 * and Mobile Analytics' own PutEvents limits (docs/CONTRACT.md §2a/§2b); the record limit is
 * Amazon Data Firehose's, so that no accepted event can fail the delivery batch later.
 */

/** Events in one Pinpoint PutEvents request. */
export const MAX_EVENTS_PER_REQUEST = 100;

/** Endpoints in one Pinpoint UpdateEndpointsBatch request. */
export const MAX_ENDPOINTS_PER_BATCH = 100;

/** Body of one Pinpoint request (PutEvents, UpdateEndpoint, UpdateEndpointsBatch): 4 MB (4096 KB, counted in binary units like the 1024 KB below). */
export const MAX_PINPOINT_BODY_BYTES = 4 * 1024 * 1024;

/** Body of one Mobile Analytics PutEvents request: 1024 KB. */
export const MAX_MOBILE_ANALYTICS_BODY_BYTES = 1024 * 1024;

/**
 * How much of a body over its door's limit is still read (and thrown away) before the 413 is
 * answered, so that a client that writes its whole body before reading the answer gets the 413
 * and not a broken pipe (docs/CONTRACT.md §2, "Errors of the doors"). 10 MB, API Gateway's own
 * payload limit: a body the deployed gateway would pass on is read to its end locally too.
 */
export const MAX_DRAINED_BODY_BYTES = 10 * 1024 * 1024;

/** Attributes plus metrics on one event. */
export const MAX_ATTRIBUTES_AND_METRICS = 40;

/** Characters in an attribute value. */
export const MAX_ATTRIBUTE_VALUE_CHARS = 200;

/** Bytes of one encoded record: Firehose takes at most 1,000 KiB per record. */
export const MAX_FIREHOSE_RECORD_BYTES = 1000 * 1024;

/** Lowest and highest timestamps (ms since epoch) a record may carry: 1970-01-01 to 9999-12-31 UTC. */
export const MIN_EPOCH_MS = 0;
export const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
