import { Match, type Template } from 'aws-cdk-lib/assertions';
import { flatten, type Json, onlyId, synthTemplate } from './synth';

const ingestApiId = (template: Template) =>
  Object.entries(template.findResources('AWS::ApiGateway::RestApi')).find(([, r]) =>
    r.Properties.Name.endsWith('-ingest'),
  )?.[0] as string;

/** Ingest methods by resource path, e.g. `POST /v1/apps/{appId}/events`. */
function ingestMethods(template: Template): Map<string, Json> {
  const apiId = ingestApiId(template);
  const resources: Json = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (ref: Json): string => {
    if (ref['Fn::GetAtt']) return '';
    const resource = resources[ref.Ref];
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
    (m) => m.Properties.RestApiId.Ref === apiId,
  );
  return new Map(
    methods.map((m) => [`${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId)}`, m.Properties]),
  );
}

const DOORS = ['POST /v1/apps/{appId}/events', 'POST /2014-06-05/events'];

describe('ingest API', () => {
  describe('with the default SigV4 auth', () => {
    let template: Template;
    beforeAll(() => {
      template = synthTemplate();
    });

    it('serves exactly the two doors, both requiring IAM, proxied to the ingest Lambda', () => {
      const methods = ingestMethods(template);
      expect([...methods.keys()].sort()).toEqual([...DOORS].sort());
      for (const door of DOORS) {
        const method = methods.get(door);
        expect(method.AuthorizationType).toBe('AWS_IAM');
        expect(method.ApiKeyRequired).toBe(false);
        expect(method.Integration.Type).toBe('AWS_PROXY');
      }
      expect(methods.get(DOORS[0] as string).RequestParameters).toEqual({
        'method.request.path.appId': true,
      });
    });

    it('outputs a managed policy that may invoke both doors and nothing else', () => {
      const policies = Object.entries(template.findResources('AWS::IAM::ManagedPolicy')).filter(([, p]) =>
        p.Properties.Description.includes('ingest doors'),
      );
      expect(policies).toHaveLength(1);
      const [policyId, policy] = policies[0] as [string, Json];
      const [statement, ...others] = policy.Properties.PolicyDocument.Statement;
      expect(others).toEqual([]);
      expect(statement.Action).toBe('execute-api:Invoke');
      const apiId = ingestApiId(template);
      const stageId = onlyId(template, 'AWS::ApiGateway::Stage', { RestApiId: { Ref: apiId } });
      const stage = `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/\${${stageId}}`;
      expect(statement.Resource.map(flatten).sort()).toEqual(
        [`${stage}/POST/2014-06-05/events`, `${stage}/POST/v1/apps/*/events`].sort(),
      );
      template.hasOutput('IngestInvokePolicyArn', { Value: { Ref: policyId } });
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    });

    it('throttles the stage and writes JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        RestApiId: { Ref: ingestApiId(template) },
        StageName: 'prod',
        AccessLogSetting: {
          DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          Format: Match.stringLikeRegexp('"caller"'),
        },
        MethodSettings: [
          {
            HttpMethod: '*',
            ResourcePath: '/*',
            LoggingLevel: 'ERROR',
            MetricsEnabled: true,
            DataTraceEnabled: false,
            ThrottlingRateLimit: 100,
            ThrottlingBurstLimit: 200,
          },
        ],
      });
      template.hasOutput('IngestApiUrl', {});
    });
  });

  it('with ingestAuth=apiKey requires a key with a throttled usage plan instead of IAM', () => {
    const template = synthTemplate({ ingestAuth: 'apiKey', ingestRateLimit: '20', ingestBurstLimit: '40' });
    for (const method of ingestMethods(template).values()) {
      expect(method.AuthorizationType).toBe('NONE');
      expect(method.ApiKeyRequired).toBe(true);
    }
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 20, BurstLimit: 40 },
      ApiStages: [{ ApiId: { Ref: ingestApiId(template) } }],
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
    template.hasOutput('IngestApiKeyId', {});
    expect(template.findOutputs('IngestInvokePolicyArn')).toEqual({});
  });

  it('with ingestAuth=none is a public collector limited only by stage throttling', () => {
    const template = synthTemplate({ ingestAuth: 'none', ingestRateLimit: '5', ingestBurstLimit: '10' });
    for (const method of ingestMethods(template).values()) {
      expect(method.AuthorizationType).toBe('NONE');
      expect(method.ApiKeyRequired).toBe(false);
    }
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      RestApiId: { Ref: ingestApiId(template) },
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })],
    });
  });
});
