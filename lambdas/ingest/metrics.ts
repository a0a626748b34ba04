import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Ingest counters as CloudWatch metrics (EMF). Namespace and service come from
 * POWERTOOLS_METRICS_NAMESPACE and POWERTOOLS_SERVICE_NAME; POWERTOOLS_METRICS_DISABLED=true
 * turns them off (tests, local server). The Lambda handlers flush once per invocation.
 */
export const metrics = new Metrics();

function count(name: string, n: number): void {
  if (n > 0) metrics.addMetric(name, MetricUnit.Count, n);
}

/** Events handed to the sink (doors) or records passed on Ok (transformer). */
export const countAccepted = (n: number): void => count('RecordsAccepted', n);
/** Events answered 400 (doors) or records marked ProcessingFailed (transformer). */
export const countRejected = (n: number): void => count('RecordsRejected', n);
/** Records sent again to Firehose after a failed or throttled attempt. */
export const countRetried = (n: number): void => count('RecordsRetried', n);
/** Records Firehose still refused when the retry budget ran out (the request got 500/429). */
export const countUndelivered = (n: number): void => count('RecordsUndelivered', n);

/** Publishes what this invocation counted; nothing is written when it counted nothing. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
