import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { createApp } from '../../lib/app';
import { synthTemplate, testContext } from './synth';

const APP_ID = '0123456789abcdef0123456789abcdef';

const pinpointRoles = (template: Template) =>
  template.findResources('AWS::IAM::Role', {
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'pinpoint.amazonaws.com' } })]),
      },
    },
  });

const pinpointRole = (template: Template) => {
  const [role, ...others] = Object.values(pinpointRoles(template));
  if (!role || others.length > 0) throw new Error('expected one role for Pinpoint');
  return role;
};

const streamArn = (template: Template) => ({
  'Fn::GetAtt': [Object.keys(template.findResources('AWS::KinesisFirehose::DeliveryStream'))[0], 'Arn'],
});

describe('Pinpoint event stream (opt-in)', () => {
  it('creates nothing Pinpoint by default', () => {
    const template = synthTemplate();
    template.resourceCountIs('AWS::Pinpoint::EventStream', 0);
    template.resourceCountIs('AWS::Pinpoint::App', 0);
    expect(pinpointRoles(template)).toEqual({});
  });

  describe('with -c pinpointAppId', () => {
    let template: Template;
    beforeAll(() => {
      template = synthTemplate({ pinpointAppId: APP_ID });
    });

    it('streams the existing project into the delivery stream and creates no project', () => {
      const roleId = Object.keys(pinpointRoles(template))[0];
      template.hasResourceProperties('AWS::Pinpoint::EventStream', {
        ApplicationId: APP_ID,
        DestinationStreamArn: streamArn(template),
        RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      });
      template.resourceCountIs('AWS::Pinpoint::App', 0);
    });

    it('lets Pinpoint assume the role only for this project in this account', () => {
      const role = pinpointRole(template);
      const statement = role.Properties.AssumeRolePolicyDocument.Statement[0];
      expect(statement.Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
      expect(JSON.stringify(statement.Condition.ArnLike['aws:SourceArn'])).toContain(`:apps/${APP_ID}*`);
    });

    it('allows the role to put records into this stream only', () => {
      const role = pinpointRole(template);
      expect(role.Properties.Policies).toEqual([
        {
          PolicyName: 'PutRecords',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Action: ['firehose:DescribeDeliveryStream', 'firehose:PutRecordBatch'],
                Resource: streamArn(template),
              },
            ],
          },
        },
      ]);
      const attached = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
        JSON.stringify(p.Properties.Roles).includes(Object.keys(pinpointRoles(template))[0] as string),
      );
      expect(attached).toEqual([]);
    });
  });

  it.each([
    ['pinpointAppId', { pinpointAppId: APP_ID }],
    ['createPinpointApp', { createPinpointApp: 'true' }],
  ])('warns on every synthesis with %s that Pinpoint ends on 2026-10-30', (_option, context) => {
    const { stack } = createApp({ nag: false, context: testContext(context) });
    Annotations.fromStack(stack).hasWarning(
      '/MobileKpi/Pinpoint',
      Match.stringLikeRegexp(
        'end of support on 2026-10-30: after that date no Pinpoint project or event stream can be created',
      ),
    );
  });

  it('does not warn about Pinpoint without its options', () => {
    const { stack } = createApp({ nag: false, context: testContext() });
    Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('Pinpoint'));
  });

  it('with -c createPinpointApp=true creates the project too and streams it', () => {
    const template = synthTemplate({ createPinpointApp: 'true' });
    const appId = Object.keys(template.findResources('AWS::Pinpoint::App'))[0];
    template.hasResourceProperties('AWS::Pinpoint::App', { Name: 'mobile-kpi' });
    template.hasResourceProperties('AWS::Pinpoint::EventStream', {
      ApplicationId: { Ref: appId },
      DestinationStreamArn: streamArn(template),
    });
    template.hasOutput('PinpointApplicationId', { Value: { Ref: appId } });
  });
});
