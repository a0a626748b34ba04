import { Duration, Size } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { APP_ID_LIST_PATTERN, APP_ID_LIST_RULE, parseAppIdList } from '../lambdas/core/identifiers';
import { DEFAULT_LAKE_START_DATE } from '../lambdas/core/lake-window';
import { ContextReader } from './context-reader';

/** An S3 location the import may read: a bucket, and a key prefix within it (`''` for all of it). */
export interface ImportSourceLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** How the ingest doors authenticate callers. */
export type IngestAuth = 'iam' | 'apiKey' | 'none';

/**
 * The deployment's settings, read once from CDK context (`cdk.json`, overridable with `-c key=value`).
 * Every property has a default; a bad value fails synthesis saying what was given and what is allowed.
 */
export interface AppConfig {
  /** Resource name prefix (stack, stream, workgroup, APIs; the Glue database uses `_`). @default 'mobile-kpi' */
  readonly prefix: string;
  /** Firehose buffering interval. @default Duration.seconds(300) */
  readonly bufferInterval: Duration;
  /** Firehose buffering size. @default Size.mebibytes(64) */
  readonly bufferSize: Size;
  /** Athena bytes-scanned cutoff per query, in bytes. @default 10 GiB */
  readonly athenaScanCutoffBytes: number;
  /** Expiry of raw events under `events/`. @default - kept forever */
  readonly rawEventRetention?: Duration;
  /** Expiry of records Firehose could not process, under `errors/`, unless replayed first. @default Duration.days(365) */
  readonly errorRecordRetention: Duration;
  /**
   * The lake's first day (`YYYY-MM-DD`): the start of the Glue partition projection, the earliest
   * event the doors and the transformer store, the first `dt` the KPI SQL reads. @default '2014-01-01'
   */
  readonly lakeStartDate: string;
  /** An existing Pinpoint project to attach an event stream to. @default - none */
  readonly pinpointAppId?: string;
  /** Create a Pinpoint project with an event stream into the lake. @default false */
  readonly createPinpointApp: boolean;
  /** @default 'iam' */
  readonly ingestAuth: IngestAuth;
  /** The only app ids the doors accept; required with `ingestAuth: 'none'`. @default - every app id */
  readonly ingestAllowedApps?: ReadonlySet<string>;
  /** With `ingestAuth: 'none'`: requests one IP address may send in 5 minutes (WAF rate-based rule). @default 6000 */
  readonly ingestIpRateLimit: number;
  /** Ingest API steady-state requests per second. @default 100 */
  readonly ingestRateLimit: number;
  /** Ingest API burst. @default 200 */
  readonly ingestBurstLimit: number;
  /** Retention of Lambda, API access and Firehose logs. @default RetentionDays.ONE_MONTH */
  readonly logRetention: RetentionDays;
  /** AWS X-Ray active tracing on the Lambdas and API stages. @default false */
  readonly tracing: boolean;
  /** An e-mail address subscribed to the alarm topic (it must confirm the subscription). @default - none */
  readonly alarmEmail?: string;
  /**
   * Where `npm run import -- --stack` may read history from; set, the stack gets the import
   * state machine, allowed to read these locations only (ADR 024). @default - no import
   */
  readonly importSources: readonly ImportSourceLocation[];
  /** Time between runs of the rollup job (ADR 019). @default Duration.minutes(60) */
  readonly rollupSchedule: Duration;
}

/** Context keys and their defaults; `cdk.json` declares the same. */
export const CONTEXT_DEFAULTS = {
  prefix: 'mobile-kpi',
  firehoseBufferSeconds: 300,
  firehoseBufferMiB: 64,
  athenaScanCutoffGiB: 10,
  rawEventRetentionDays: null,
  errorRecordRetentionDays: 365,
  lakeStartDate: DEFAULT_LAKE_START_DATE,
  pinpointAppId: null,
  createPinpointApp: false,
  ingestAuth: 'iam',
  ingestAllowedApps: null,
  ingestIpRateLimit: 6000,
  ingestRateLimit: 100,
  ingestBurstLimit: 200,
  logRetentionDays: 30,
  tracing: false,
  alarmEmail: null,
  importSources: null,
  rollupScheduleMinutes: 60,
} as const;

const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
const SOURCE = `${BUCKET}(?:/[^,*?\\s]*)?`;
const IMPORT_SOURCES = new RegExp(`^${SOURCE}(?:,${SOURCE})*$`);

const GIB = 1024 ** 3;
/** The allowlist travels as a Lambda environment variable; all of them share 4 KB. */
const MAX_ALLOWED_APPS_CHARS = 2048;
/** Athena refuses a bytes-scanned cutoff below 10 MB. */
const ATHENA_MIN_CUTOFF_GIB = 0.01;
const LOG_RETENTION_DAYS = Object.values(RetentionDays).filter(
  (d): d is RetentionDays => typeof d === 'number' && d !== RetentionDays.INFINITE,
);

/** Reads and validates the configuration from a construct node's context. */
export function readConfig(node: Node): AppConfig {
  const ctx = new ContextReader(node, CONTEXT_DEFAULTS);
  const pinpointAppId = ctx.optionalString(
    'pinpointAppId',
    /^[0-9a-f]{32}$/,
    'a Pinpoint project id (32 lower-case hexadecimal characters)',
  );
  const createPinpointApp = ctx.boolean('createPinpointApp');
  if (pinpointAppId !== undefined && createPinpointApp) {
    throw new Error(
      `Invalid context: got pinpointAppId "${pinpointAppId}" and createPinpointApp true; allowed: at most one of them (pinpointAppId streams an existing project, createPinpointApp creates one).`,
    );
  }
  const rawDays = ctx.optionalInteger('rawEventRetentionDays', 1, 36_500, 'days');
  const ingestAuth = ctx.oneOf('ingestAuth', ['iam', 'apiKey', 'none'] as const);
  const allowedApps = ctx.optionalString('ingestAllowedApps', APP_ID_LIST_PATTERN, APP_ID_LIST_RULE);
  if (allowedApps !== undefined && allowedApps.length > MAX_ALLOWED_APPS_CHARS) {
    throw new Error(
      `Invalid context ingestAllowedApps: got ${allowedApps.length} characters; allowed: at most ${MAX_ALLOWED_APPS_CHARS} (it is a Lambda environment variable, 4 KB in all).`,
    );
  }
  if (ingestAuth === 'none' && allowedApps === undefined) {
    throw new Error(
      'Invalid context: got ingestAuth "none" without ingestAllowedApps; allowed: with ingestAuth none, ingestAllowedApps lists the app ids the public doors accept, e.g. -c ingestAllowedApps=game,game-beta.',
    );
  }
  const importSources = ctx.optionalString(
    'importSources',
    IMPORT_SOURCES,
    'S3 locations as bucket or bucket/prefix/, separated by commas (no spaces, no wildcards)',
  );
  return {
    prefix: ctx.string(
      'prefix',
      /^[a-z](?!.*--)[a-z0-9-]{1,30}[a-z0-9]$/,
      '3 to 32 lower-case letters, digits or single hyphens, starting with a letter and not ending with a hyphen',
    ),
    bufferInterval: Duration.seconds(ctx.integer('firehoseBufferSeconds', 60, 900, 'seconds')),
    bufferSize: Size.mebibytes(ctx.integer('firehoseBufferMiB', 64, 128, 'MiB')),
    athenaScanCutoffBytes: Math.round(
      ctx.number(
        'athenaScanCutoffGiB',
        ATHENA_MIN_CUTOFF_GIB,
        `a number of GiB, at least ${ATHENA_MIN_CUTOFF_GIB}`,
      ) * GIB,
    ),
    rawEventRetention: rawDays === undefined ? undefined : Duration.days(rawDays),
    errorRecordRetention: Duration.days(ctx.integer('errorRecordRetentionDays', 1, 36_500, 'days')),
    lakeStartDate: ctx.day('lakeStartDate'),
    pinpointAppId,
    createPinpointApp,
    ingestAuth,
    ingestAllowedApps: allowedApps === undefined ? undefined : parseAppIdList(allowedApps),
    ingestIpRateLimit: ctx.integer(
      'ingestIpRateLimit',
      10,
      2_000_000_000,
      'requests per IP address per 5 minutes',
    ),
    ingestRateLimit: ctx.integer('ingestRateLimit', 1, 10_000, 'requests per second'),
    ingestBurstLimit: ctx.integer('ingestBurstLimit', 1, 5_000, 'requests'),
    logRetention: ctx.oneOf('logRetentionDays', LOG_RETENTION_DAYS),
    tracing: ctx.boolean('tracing'),
    alarmEmail: ctx.optionalString('alarmEmail', /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/, 'an e-mail address'),
    importSources: (importSources?.split(',') ?? []).map((location) => {
      const slash = location.indexOf('/');
      return slash < 0
        ? { bucket: location, prefix: '' }
        : { bucket: location.slice(0, slash), prefix: location.slice(slash + 1) };
    }),
    rollupSchedule: Duration.minutes(ctx.integer('rollupScheduleMinutes', 5, 1440, 'minutes')),
  };
}
