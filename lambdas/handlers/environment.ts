import type { AthenaEngineOptions } from '../kpi/athena-engine';

/**
 * The environment of each Lambda: the variable names the CDK stack sets and the handler reads,
 * declared once. The stack builds each `environment` object `satisfies` the type below, so a
 * name cannot differ between the two sides; the readers run once, at cold start, and a missing
 * or malformed variable fails it with the variable's name.
 */

/** The ingest doors' Lambda. */
export interface IngestEnvironment {
  /** The Firehose delivery stream the doors write to. */
  readonly DELIVERY_STREAM_NAME: string;
}

/** The KPI API's Lambda. */
export interface KpiEnvironment {
  /** The Athena workgroup queries run in (result location, bytes-scanned cutoff). */
  readonly ATHENA_WORKGROUP: string;
  /** The Glue database that holds the `events` table. */
  readonly GLUE_DATABASE: string;
  /** How long a query may run before it is stopped and answered 504, in ms (1000 to 28000). */
  readonly QUERY_DEADLINE_MS: string;
  /** The lake bucket, whose `events/app_id=<id>/` prefixes are the apps (`GET /apps`). */
  readonly LAKE_BUCKET: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

function required<T>(env: Environment, name: keyof T & string): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is required but not set`);
  return value;
}

export interface IngestConfig {
  readonly deliveryStreamName: string;
}

export function readIngestEnvironment(env: Environment): IngestConfig {
  return { deliveryStreamName: required<IngestEnvironment>(env, 'DELIVERY_STREAM_NAME') };
}

export interface KpiConfig {
  readonly athena: AthenaEngineOptions;
  readonly lakeBucket: string;
}

export function readKpiEnvironment(env: Environment): KpiConfig {
  const deadline = required<KpiEnvironment>(env, 'QUERY_DEADLINE_MS');
  const deadlineMs = Number(deadline);
  if (!/^[0-9]+$/.test(deadline) || deadlineMs < 1000 || deadlineMs > 28000) {
    throw new Error(
      `QUERY_DEADLINE_MS must be whole milliseconds from 1000 to 28000 (API Gateway gives up at 29 s), got ${JSON.stringify(deadline)}`,
    );
  }
  return {
    athena: {
      workGroup: required<KpiEnvironment>(env, 'ATHENA_WORKGROUP'),
      database: required<KpiEnvironment>(env, 'GLUE_DATABASE'),
      deadlineMs,
    },
    lakeBucket: required<KpiEnvironment>(env, 'LAKE_BUCKET'),
  };
}
