import { Template } from 'aws-cdk-lib/assertions';
import cdkJson from '../../cdk.json';
import { createApp } from '../../lib/app';

/** Context as `cdk synth` sees it (cdk.json), plus overrides; NodejsFunction bundling skipped for speed. */
export function testContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...cdkJson.context, 'aws:cdk:bundling-stacks': [], ...overrides };
}

/** Synthesizes the real stack for a configuration, without cdk-nag (nag.test.ts runs that). */
export function synthTemplate(overrides: Record<string, unknown> = {}): Template {
  const { stack } = createApp({ nag: false, context: testContext(overrides) });
  return Template.fromStack(stack);
}

/** A synthesized CloudFormation value: tests navigate it freely and assert on what they find. */
// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation has no static type
export type Json = any;

/** The only resource of a type (its `Type`, `Properties`, `DependsOn`, ...) matching the given properties. */
export function onlyResource(template: Template, type: string, props?: Json): Json {
  const resources = Object.values(
    template.findResources(type, props === undefined ? undefined : { Properties: props }),
  );
  if (resources.length !== 1) throw new Error(`expected one ${type}, found ${resources.length}`);
  return resources[0];
}

/**
 * A CloudFormation value as one string: `{Ref: X}` becomes `${X}`, `{Fn::GetAtt: [X, Y]}` becomes
 * `${X.Y}`, `Fn::Join` is joined. ARNs built by the CDK read like the ARN they resolve to.
 */
export function flatten(value: Json): string {
  if (typeof value === 'string') return value;
  if (value.Ref !== undefined) return `\${${value.Ref}}`;
  if (value['Fn::GetAtt'] !== undefined) return `\${${value['Fn::GetAtt'].join('.')}}`;
  if (value['Fn::Join'] !== undefined) {
    const [separator, parts] = value['Fn::Join'];
    return parts.map(flatten).join(separator);
  }
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

/** The logical id of the only resource of a type matching the given properties. */
export function onlyId(template: Template, type: string, props?: Json): string {
  const ids = Object.keys(
    template.findResources(type, props === undefined ? undefined : { Properties: props }),
  );
  if (ids.length !== 1 || !ids[0]) throw new Error(`expected one ${type}, found ${ids.length}`);
  return ids[0];
}
