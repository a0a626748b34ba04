import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config';
import { MobileKpiStack } from './mobile-kpi-stack';

export interface MobileKpiAppProps extends AppProps {
  /** Run cdk-nag's AwsSolutions checks when the app is synthesized. @default true */
  readonly nag?: boolean;
}

/**
 * The CDK app: one stack named after the configured prefix, checked by cdk-nag AwsSolutions.
 * cdk-nag 3 runs as a policy-validation plugin; any finding not acknowledged with
 * `Validations.of(scope).acknowledge(...)` makes the report fail and `cdk synth` exit non-zero.
 */
export function createApp(props: MobileKpiAppProps = {}): { app: App; stack: MobileKpiStack } {
  const app = new App(props);
  const config = readConfig(app.node);
  const stack = new MobileKpiStack(app, 'MobileKpi', {
    stackName: config.prefix,
    description: 'Mobile KPI pipeline: event lake (S3, Glue, Firehose), Athena, ingest and KPI APIs',
    config,
  });
  if (props.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
