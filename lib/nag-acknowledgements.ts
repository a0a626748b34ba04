import { Stack, Validations } from 'aws-cdk-lib';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges the cdk-nag AwsSolutions-IAM5 finding of each wildcard resource ARN on `scope`
 * (ARNs without `*` raise no finding and are skipped). cdk-nag 3 names a finding after the ARN as
 * it appears in the template (`<Logical.Arn>/events/*`), so the id is derived from the same token
 * the policy uses rather than written by hand.
 */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  const stack = Stack.of(scope);
  for (const resource of resources) {
    const flat = flattenCfnReference(stack.resolve(resource));
    if (flat.includes('*'))
      Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
  }
}
