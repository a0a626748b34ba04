import * as path from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: handler entries and package-lock.json are found from here. */
export const PROJECT_ROOT = path.join(__dirname, '..');

/** The Lambda handler entry files, relative to the project root; each exports `handler`. */
export const HANDLER_ENTRIES = {
  ingest: 'lambdas/handlers/ingest.ts',
  transformer: 'lambdas/handlers/transformer.ts',
  kpi: 'lambdas/handlers/kpi.ts',
  importObject: 'lambdas/handlers/import-object.ts',
  importSummary: 'lambdas/handlers/import-summary.ts',
  rollupJob: 'lambdas/handlers/rollup-job.ts',
} as const;

/** Modules left out of every bundle: the AWS SDK v3 comes with the Node.js 24 runtime. */
export const HANDLER_EXTERNAL_MODULES = ['@aws-sdk/*'] as const;

export interface HandlerFunctionProps {
  /** Which handler file to bundle. */
  readonly entry: (typeof HANDLER_ENTRIES)[keyof typeof HANDLER_ENTRIES];
  /** POWERTOOLS_SERVICE_NAME. */
  readonly serviceName: string;
  /** POWERTOOLS_METRICS_NAMESPACE. */
  readonly metricsNamespace: string;
  readonly description: string;
  /** Variables the handler reads, in addition to the Powertools ones. @default - none */
  readonly environment?: Record<string, string>;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** Active X-Ray tracing. @default false */
  readonly tracing?: boolean;
  /** Concurrent executions reserved (and allowed). @default - none reserved, the account's limit */
  readonly reservedConcurrentExecutions?: number;
}

/**
 * A Lambda handler bundled locally with esbuild (no Docker): Node.js 24 on ARM64, minified with
 * source maps, AWS SDK v3 from the runtime. Its role starts with nothing but writing its own log
 * group; callers add exactly what the handler needs.
 */
export class HandlerFunction extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    logGroup.grantWrite(this.role);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        target: 'node24',
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        externalModules: [...HANDLER_EXTERNAL_MODULES],
      },
    });
    if (props.tracing) {
      Validations.of(this.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions; AWS requires "*".',
      });
    }
  }
}
