import { Match, type Template } from 'aws-cdk-lib/assertions';
import { seededRandom } from '../../lambdas/core/seeded-random';
import { integerAboveRegex } from '../../lib/ingest-web-acl';
import { flatten, type Json, onlyId, onlyResource, synthTemplate } from './synth';

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

const DOORS = [
  'POST /v1/apps/{appId}/events',
  'PUT /v1/apps/{appId}/endpoints/{endpointId}',
  'PUT /v1/apps/{appId}/endpoints',
  'POST /2014-06-05/events',
];

describe('ingest API', () => {
  describe('with the default SigV4 auth', () => {
    let template: Template;
    beforeAll(() => {
      template = synthTemplate();
    });

    it('serves exactly the four doors, all requiring IAM, proxied to the one ingest Lambda', () => {
      const methods = ingestMethods(template);
      expect([...methods.keys()].sort()).toEqual([...DOORS].sort());
      const lambdas = new Set<string>();
      for (const door of DOORS) {
        const method = methods.get(door);
        expect(method.AuthorizationType).toBe('AWS_IAM');
        expect(method.ApiKeyRequired).toBe(false);
        expect(method.Integration.Type).toBe('AWS_PROXY');
        lambdas.add(JSON.stringify(method.Integration.Uri));
      }
      expect(lambdas.size).toBe(1);
      expect(methods.get('POST /v1/apps/{appId}/events').RequestParameters).toEqual({
        'method.request.path.appId': true,
      });
      expect(methods.get('PUT /v1/apps/{appId}/endpoints').RequestParameters).toEqual({
        'method.request.path.appId': true,
      });
      expect(methods.get('PUT /v1/apps/{appId}/endpoints/{endpointId}').RequestParameters).toEqual({
        'method.request.path.appId': true,
        'method.request.path.endpointId': true,
      });
      expect(methods.get('POST /2014-06-05/events').RequestParameters).toBeUndefined();
    });

    it('outputs a managed policy that may invoke the four doors and nothing else', () => {
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
        [
          `${stage}/POST/2014-06-05/events`,
          `${stage}/POST/v1/apps/*/events`,
          `${stage}/PUT/v1/apps/*/endpoints/*`,
          `${stage}/PUT/v1/apps/*/endpoints`,
        ].sort(),
      );
      template.hasOutput('IngestInvokePolicyArn', { Value: { Ref: policyId } });
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    });

    it("answers API Gateway's own errors as the doors do: typed x-amzn-ErrorType and the doors' body", () => {
      const responses = Object.values(template.findResources('AWS::ApiGateway::GatewayResponse'));
      expect(responses.every((r) => r.Properties.RestApiId.Ref === ingestApiId(template))).toBe(true);
      const types = Object.fromEntries(
        responses.map((r) => [
          r.Properties.ResponseType,
          r.Properties.ResponseParameters['gatewayresponse.header.x-amzn-ErrorType'],
        ]),
      );
      expect(types).toEqual({
        BAD_REQUEST_PARAMETERS: "'BadRequestException'",
        BAD_REQUEST_BODY: "'BadRequestException'",
        ACCESS_DENIED: "'ForbiddenException'",
        INVALID_SIGNATURE: "'ForbiddenException'",
        EXPIRED_TOKEN: "'ForbiddenException'",
        INVALID_API_KEY: "'ForbiddenException'",
        MISSING_AUTHENTICATION_TOKEN: "'ForbiddenException'",
        RESOURCE_NOT_FOUND: "'NotFoundException'",
        REQUEST_TOO_LARGE: "'PayloadTooLargeException'",
        UNSUPPORTED_MEDIA_TYPE: "'BadRequestException'",
        THROTTLED: "'TooManyRequestsException'",
        QUOTA_EXCEEDED: "'TooManyRequestsException'",
        DEFAULT_5XX: "'InternalServerErrorException'",
      });
      for (const response of responses) {
        expect(response.Properties.StatusCode).toBeUndefined();
        expect(response.Properties.ResponseTemplates).toEqual({
          'application/json':
            '{"message":$context.error.messageString,"Message":$context.error.messageString,"RequestID":"$context.requestId"}',
        });
      }
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
    });

    it("outputs the doors' base URL without a trailing slash (SDKs append /v1/...)", () => {
      const apiId = ingestApiId(template);
      const stageId = onlyId(template, 'AWS::ApiGateway::Stage', { RestApiId: { Ref: apiId } });
      const outputs: Json = template.findOutputs('IngestApiUrl');
      const url = flatten(outputs.IngestApiUrl.Value);
      expect(url).toBe(`https://\${${apiId}}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}/\${${stageId}}`);
    });
  });

  it('with ingestAuth=apiKey requires a key with a throttled usage plan instead of IAM', () => {
    const template = synthTemplate({ ingestAuth: 'apiKey', ingestRateLimit: '20', ingestBurstLimit: '40' });
    const methods = ingestMethods(template);
    expect(methods.size).toBe(DOORS.length);
    for (const method of methods.values()) {
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

  describe('with ingestAuth=none', () => {
    let template: Template;
    beforeAll(() => {
      template = synthTemplate({
        ingestAuth: 'none',
        ingestAllowedApps: 'game,game-beta',
        ingestIpRateLimit: '600',
        ingestRateLimit: '5',
        ingestBurstLimit: '10',
      });
    });

    it('is a public collector with stage throttling', () => {
      const methods = ingestMethods(template);
      expect(methods.size).toBe(DOORS.length);
      for (const method of methods.values()) {
        expect(method.AuthorizationType).toBe('NONE');
        expect(method.ApiKeyRequired).toBe(false);
      }
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        RestApiId: { Ref: ingestApiId(template) },
        MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 })],
      });
    });

    it('tells the doors which app ids they accept', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ ALLOWED_APP_IDS: 'game,game-beta' }) },
      });
    });

    it('puts a regional WAF web ACL on the ingest stage: 413 over the largest door body, 429 per IP', () => {
      const acl = onlyResource(template, 'AWS::WAFv2::WebACL').Properties;
      expect(acl.Scope).toBe('REGIONAL');
      expect(acl.DefaultAction).toEqual({ Allow: {} });
      const [size, rate] = acl.Rules;
      expect(size.Statement.RegexMatchStatement).toMatchObject({
        FieldToMatch: { SingleHeader: { Name: 'content-length' } },
        RegexString: integerAboveRegex(4 * 1024 * 1024),
      });
      expect(size.Action.Block.CustomResponse).toEqual({
        ResponseCode: 413,
        CustomResponseBodyKey: 'payload-too-large',
        ResponseHeaders: [{ Name: 'x-amzn-ErrorType', Value: 'PayloadTooLargeException' }],
      });
      expect(rate.Statement.RateBasedStatement).toEqual({
        AggregateKeyType: 'IP',
        Limit: 600,
        EvaluationWindowSec: 300,
      });
      expect(rate.Action.Block.CustomResponse.ResponseCode).toBe(429);
      for (const key of ['payload-too-large', 'too-many-requests']) {
        const body = acl.CustomResponseBodies[key];
        expect(body.ContentType).toBe('APPLICATION_JSON');
        expect(JSON.parse(body.Content)).toEqual({
          message: expect.any(String),
          Message: expect.any(String),
        });
      }
      const association = onlyResource(template, 'AWS::WAFv2::WebACLAssociation');
      const stageId = onlyId(template, 'AWS::ApiGateway::Stage', {
        RestApiId: { Ref: ingestApiId(template) },
      });
      expect(flatten(association.Properties.ResourceArn)).toBe(
        `arn:\${AWS::Partition}:apigateway:\${AWS::Region}::/restapis/\${${ingestApiId(template)}}/stages/\${${stageId}}`,
      );
      expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [expect.any(String), 'Arn'] });
      expect(association.DependsOn).toContain(stageId);
    });
  });

  it('has no web ACL when callers authenticate', () => {
    for (const ingestAuth of ['iam', 'apiKey']) {
      synthTemplate({ ingestAuth }).resourceCountIs('AWS::WAFv2::WebACL', 0);
    }
  });
});

describe('integerAboveRegex, the WAF size rule', () => {
  it.each([0, 9, 10, 99, 4194304, 1000000, 8999])('matches exactly the integers above %i', (n) => {
    const regex = new RegExp(integerAboveRegex(n));
    const random = seededRandom(n + 1);
    const probes = new Set([0, 1, n - 1, n, n + 1, n * 10, n + 10 ** String(n).length]);
    for (let i = 0; i < 2000; i++) probes.add(Math.floor(random() * (n + 1) * 3));
    for (const value of probes) {
      if (value < 0) continue;
      expect({ value, match: regex.test(String(value)) }).toEqual({ value, match: value > n });
      expect({ value, match: regex.test(`00${value}`) }).toEqual({ value, match: value > n });
    }
    for (const text of ['', '-1', '1e9', ' 99999999', '99999999 ', '4194305,1'])
      expect(regex.test(text)).toBe(false);
  });

  it('uses no group, which AWS WAF does not support, and stays within its 512 characters', () => {
    const regex = integerAboveRegex(Number.MAX_SAFE_INTEGER);
    expect(regex).not.toMatch(/[()]/);
    expect(regex.length).toBeLessThanOrEqual(512);
  });
});
