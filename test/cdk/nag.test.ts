import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { createApp } from '../../lib/app';
import { testContext } from './synth';

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['the default configuration', {}],
    [
      'an existing Pinpoint project, API-key ingest and X-Ray',
      { pinpointAppId: '0123456789abcdef0123456789abcdef', ingestAuth: 'apiKey', tracing: 'true' },
    ],
    [
      'a created Pinpoint project, a public collector and an alarm e-mail',
      {
        createPinpointApp: 'true',
        ingestAuth: 'none',
        ingestAllowedApps: 'game,game-beta',
        alarmEmail: 'ops@example.com',
      },
    ],
  ])('finds nothing unacknowledged with %s', (_name, context) => {
    const { app } = createApp({ context: testContext(context) });
    // Synthesis runs the plugin createApp registered, and throws the report on any finding.
    expect(() => app.synth()).not.toThrow();
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
    expect(findings).toEqual([]);
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const { app, stack } = createApp({ context: testContext() });
    new s3.Bucket(stack, 'UnloggedBucket', { enforceSSL: true });
    expect(() => app.synth()).toThrow(/MobileKpi\/UnloggedBucket\/Resource[\s\S]*AwsSolutions-S1/);
  });

  it('fails synthesis on an unacknowledged warning as well, not only on errors', () => {
    const { app, stack } = createApp({ context: testContext() });
    new dynamodb.Table(stack, 'TableWithoutPitr', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    });
    expect(() => app.synth()).toThrow(
      /WARNING[\s\S]*MobileKpi\/TableWithoutPitr\/Resource[\s\S]*AwsSolutions-DDB3/,
    );
  });
});
