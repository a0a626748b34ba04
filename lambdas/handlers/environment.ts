import { APP_ID_LIST_RULE, parseAppIdList } from '../core/identifiers';
import { type LakeWindow, lakeWindow } from '../core/lake-window';
import type { AthenaEngineOptions } from '../kpi/athena-engine';

/**
 * The environment of each Lambda: the variable names the CDK stack sets and the handler reads,
 * declared once. The stack builds each `environment` object `satisfies` the type below, so a
 * name cannot differ between the two sides; the readers run once, at cold start, and a missing
 * or malformed variable fails it with the variable's name.
 */

/** What every Lambda that reads or writes events knows of the lake. */
export interface LakeEnvironment {
  /** The lake's first day, `YYYY-MM-DD` (`lambdas/core/lake-window.ts`). */
  readonly LAKE_START_DATE: string;
}

/** The ingest doors' Lambda. */
export interface IngestEnvironment extends LakeEnvironment {
  /** The Firehose delivery stream the doors write to. */
  readonly DELIVERY_STREAM_NAME: string;
  /** The only app ids the doors accept, separated by commas; unset: every app id. */
  readonly ALLOWED_APP_IDS?: string;
}

/** The delivery stream's record transformer. */
export type TransformerEnvironment = LakeEnvironment;

/** The KPI API's Lambda. */
export interface KpiEnvironment extends LakeEnvironment {
  /** The Athena workgroup queries run in (result location, bytes-scanned cutoff). */
  readonly ATHENA_WORKGROUP: string;
  /** The Glue database that holds the `events` table. */
  readonly GLUE_DATABASE: string;
  /** How long a query may run before it is stopped and answered 504, in ms (1000 to 28000). */
  readonly QUERY_DEADLINE_MS: string;
  /** The lake bucket, whose `events/app_id=<id>/` prefixes are the apps (`GET /apps`). */
  readonly LAKE_BUCKET: string;
}

/** The import's Lambdas (one object; the run's summary). */
export interface ImportEnvironment extends LakeEnvironment {
  /** The Firehose delivery stream imported events go to. */
  readonly DELIVERY_STREAM_NAME: string;
  /** The lake bucket, whose `import-reports/` prefix holds the reports. */
  readonly REPORT_BUCKET: string;
}

type Environment = Readonly<Record<string, string | undefined>>;

function required<T>(env: Environment, name: keyof T & string): string {
  const value = env[name];
  if (!value) throw new Error(`Environment variable ${name} is required but not set`);
  return value;
}

function lakeOf(env: Environment): LakeWindow {
  const value = required<LakeEnvironment>(env, 'LAKE_START_DATE');
  try {
    return lakeWindow(value);
  } catch {
    throw new Error(`LAKE_START_DATE must be a calendar day YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
}

export interface IngestConfig {
  readonly deliveryStreamName: string;
  readonly lake: LakeWindow;
  /** @default every app id */
  readonly allowedApps?: ReadonlySet<string>;
}

export function readIngestEnvironment(env: Environment): IngestConfig {
  const list: keyof IngestEnvironment = 'ALLOWED_APP_IDS';
  const text = env[list];
  const allowedApps = text === undefined ? undefined : parseAppIdList(text);
  if (text !== undefined && allowedApps === undefined) {
    throw new Error(`${list} must be ${APP_ID_LIST_RULE}, got ${JSON.stringify(text)}`);
  }
  return {
    deliveryStreamName: required<IngestEnvironment>(env, 'DELIVERY_STREAM_NAME'),
    lake: lakeOf(env),
    ...(allowedApps === undefined ? {} : { allowedApps }),
  };
}

export function readTransformerEnvironment(env: Environment): { readonly lake: LakeWindow } {
  return { lake: lakeOf(env) };
}

export interface KpiConfig {
  readonly engine: AthenaEngineOptions;
  readonly lake: LakeWindow;
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
    engine: {
      workGroup: required<KpiEnvironment>(env, 'ATHENA_WORKGROUP'),
      database: required<KpiEnvironment>(env, 'GLUE_DATABASE'),
      deadlineMs,
    },
    lake: lakeOf(env),
    lakeBucket: required<KpiEnvironment>(env, 'LAKE_BUCKET'),
  };
}

export interface ImportConfig {
  readonly deliveryStreamName: string;
  readonly reportBucket: string;
  readonly lake: LakeWindow;
}

export function readImportEnvironment(env: Environment): ImportConfig {
  return {
    deliveryStreamName: required<ImportEnvironment>(env, 'DELIVERY_STREAM_NAME'),
    reportBucket: required<ImportEnvironment>(env, 'REPORT_BUCKET'),
    lake: lakeOf(env),
  };
}

/** The scheduled rollup job's Lambda (ADR 019). */
export interface RollupJobEnvironment {
  /** The lake bucket: raw events, rollup manifests, compaction staging. */
  readonly LAKE_BUCKET: string;
  /** The Glue database of `events` and the rollup tables. */
  readonly GLUE_DATABASE: string;
  /** The job's own Athena workgroup. */
  readonly ATHENA_WORKGROUP: string;
}

export interface RollupJobConfig {
  readonly bucket: string;
  readonly database: string;
  readonly workGroup: string;
}

export function readRollupJobEnvironment(env: Environment): RollupJobConfig {
  return {
    bucket: required<RollupJobEnvironment>(env, 'LAKE_BUCKET'),
    database: required<RollupJobEnvironment>(env, 'GLUE_DATABASE'),
    workGroup: required<RollupJobEnvironment>(env, 'ATHENA_WORKGROUP'),
  };
}
