import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { CliError } from '../cli/cli-error';

/**
 * The outputs of a deployed stack, by key (`LakeBucketName`, `ImportStateMachineArn`...), read
 * with the caller's AWS credentials. A stack that does not exist, or credentials that cannot
 * read it, are a {@link CliError} with AWS's message.
 */
export async function stackOutputs(
  client: CloudFormationClient,
  stackName: string,
): Promise<Map<string, string>> {
  let described: DescribeStacksCommandOutput;
  try {
    described = await client.send(new DescribeStacksCommand({ StackName: stackName }));
  } catch (err) {
    throw new CliError(
      `Cannot read the stack ${stackName}: ${(err as Error).name}: ${(err as Error).message}`,
    );
  }
  const outputs = described.Stacks?.[0]?.Outputs ?? [];
  return new Map(
    outputs.flatMap((o) => (o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue] as const] : [])),
  );
}
