import type { QueryExecution } from '@aws-sdk/client-athena';
import { BadRequestError, ServiceUnavailableError, TooManyRequestsError } from '../core/errors';
import { logger } from '../core/logger';

/** How Athena's failures reach the caller: clear HTTP errors, with Athena's own words in the log. */

const THROTTLING = new Set(['TooManyRequestsException', 'ThrottlingException']);
const CUTOFF_REASON = /bytes scanned limit/i;
/** Trino's TimeZoneNotSupportedException: a zone Intl knows but Trino does not (EST, MST, HST...). */
const UNKNOWN_ZONE_REASON = /Time zone not supported: ([^\s]+)/;

/**
 * The error to throw for a failed Athena API call: throttling (after the SDK's own retries)
 * is a 429, an Athena service fault a 503; anything else (a bug or a misconfiguration) is
 * passed through for the error mapper to log as a 500.
 */
export function athenaCallError(error: unknown): unknown {
  const name = (error as Error).name;
  if (THROTTLING.has(name)) {
    return new TooManyRequestsError('Athena is throttling queries; retry shortly', {
      cause: error,
      retryAfterSeconds: 2,
    });
  }
  if (name === 'InternalServerException') {
    return new ServiceUnavailableError('Athena is unavailable; retry shortly', {
      cause: error,
      retryAfterSeconds: 2,
    });
  }
  return error;
}

/** The error for a query that ended FAILED or CANCELLED, with Athena's reason logged. */
export function queryFailure(id: string, execution: QueryExecution): Error {
  const status = execution.Status ?? {};
  const reason = status.StateChangeReason ?? '';
  const details = { queryExecutionId: id, state: status.State, reason, athenaError: status.AthenaError };
  const unknownZone = UNKNOWN_ZONE_REASON.exec(reason);
  if (unknownZone) {
    logger.info('Athena does not know the requested time zone', details);
    return new BadRequestError(
      `timezone ${JSON.stringify(unknownZone[1])} is not supported by Athena; use a region name such as America/New_York`,
    );
  }
  if (CUTOFF_REASON.test(reason)) {
    logger.warn('Athena stopped a query at the workgroup bytes-scanned cutoff', details);
    return new ServiceUnavailableError(
      "The query would read more data than the Athena workgroup's per-query limit (bytes-scanned cutoff) allows; ask for a shorter date range, or raise the workgroup's limit",
    );
  }
  logger.error('Athena query did not succeed', details);
  if (status.State === 'CANCELLED') return new ServiceUnavailableError('The query was cancelled in Athena');
  return new ServiceUnavailableError('The query failed in Athena', {
    ...(status.AthenaError?.Retryable ? { retryAfterSeconds: 2 } : {}),
  });
}
