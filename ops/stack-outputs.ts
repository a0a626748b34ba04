import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CliError } from '../local/cli/cli-error';
import { awsError } from './aws-error';

/** The outputs of a deployed stack that the operations commands use (README, "Stack outputs"). */
export type StackOutputName =
  | 'LakeBucketName'
  | 'DeliveryStreamName'
  | 'LakeStartDate'
  | 'IngestApiUrl'
  | 'KpiApiUrl'
  | 'IngestApiKeyId'
  | 'ImportStateMachineArn'
  | 'ImportSources';

/**
 * The named outputs of a stack, found with CloudFormation DescribeStacks. A stack that does not
 * exist, or lacks a required output (not this project's stack, or deployed by an older version),
 * is a CliError with AWS's own words.
 */
export async function readStackOutputs<R extends StackOutputName, O extends StackOutputName = never>(
  client: CloudFormationClient,
  stackName: string,
  required: readonly R[],
  optional: readonly O[] = [],
): Promise<Record<R, string> & Partial<Record<O, string>>> {
  let outputs: Map<string, string>;
  try {
    const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = new Map(
      (Stacks[0]?.Outputs ?? []).flatMap((o) =>
        o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
      ),
    );
  } catch (err) {
    throw new CliError(`Cannot read stack ${stackName}: ${awsError(err)}`);
  }
  const missing = required.filter((name) => !outputs.has(name));
  if (missing.length > 0) {
    throw new CliError(
      `Stack ${stackName} has no output ${missing.join(', ')}; is it a mobile-kpi-pipeline stack deployed with this version (npx cdk deploy)?`,
    );
  }
  return Object.fromEntries(
    [...required, ...optional].flatMap((name) => {
      const value = outputs.get(name);
      return value === undefined ? [] : [[name, value]];
    }),
  ) as Record<R, string> & Partial<Record<O, string>>;
}
