import { Match, type Template } from 'aws-cdk-lib/assertions';
import { flatten, type Json, onlyId, synthTemplate } from './synth';

const byName = (template: Template, type: string, suffix: string): [string, Json] => {
  const found = Object.entries(template.findResources(type)).filter(([, r]) =>
    String(r.Properties.Name ?? r.Properties.Description).endsWith(suffix),
  );
  if (found.length !== 1) throw new Error(`expected one ${type} named *${suffix}`);
  return found[0] as [string, Json];
};

const kpiFunction = (template: Template): [string, Json] =>
  byName(template, 'AWS::Lambda::Function', 'Querying API paths answered with Athena');

/** Every statement of every policy attached to a role. */
const statementsOf = (template: Template, roleId: string): Json[] =>
  Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: Json) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);

describe('KPI API', () => {
  let template: Template;
  let apiId: string;
  beforeAll(() => {
    template = synthTemplate();
    [apiId] = byName(template, 'AWS::ApiGateway::RestApi', '-kpi');
  });

  it('requires IAM (SigV4) on every method', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')).filter(
      (m) => m.Properties.RestApiId.Ref === apiId,
    );
    expect(methods.length).toBeGreaterThanOrEqual(3);
    for (const method of methods) expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('routes GET /apps, GET /apps/{appId}/{proxy+} with validated path parameters, and GET /openapi.json', () => {
    const resources: Json = template.findResources('AWS::ApiGateway::Resource');
    const idOf = (part: string, parent: Json) =>
      Object.keys(resources).find(
        (id) =>
          resources[id].Properties.PathPart === part &&
          JSON.stringify(resources[id].Properties.ParentId) === JSON.stringify(parent) &&
          resources[id].Properties.RestApiId.Ref === apiId,
      ) as string;
    const root = { 'Fn::GetAtt': [apiId, 'RootResourceId'] };
    const apps = idOf('apps', root);
    const app = idOf('{appId}', { Ref: apps });
    const kpiPath = idOf('{proxy+}', { Ref: app });
    const openapi = idOf('openapi.json', root);
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    const kpiMethod = methods.find((m) => m.Properties.ResourceId.Ref === kpiPath)?.Properties;
    expect(kpiMethod.HttpMethod).toBe('GET');
    expect(kpiMethod.RequestParameters).toMatchObject({
      'method.request.path.appId': true,
      'method.request.path.proxy': true,
    });
    const validators: Json = template.findResources('AWS::ApiGateway::RequestValidator');
    const validator = validators[kpiMethod.RequestValidatorId.Ref];
    expect(validator.Properties.ValidateRequestParameters).toBe(true);
    expect(methods.find((m) => m.Properties.ResourceId.Ref === openapi)?.Properties.HttpMethod).toBe('GET');
    expect(methods.find((m) => m.Properties.ResourceId.Ref === apps)?.Properties.HttpMethod).toBe('GET');
  });

  it('answers any method on the root (GET /, the index) from the Lambda, not from a MOCK', () => {
    const root = template.findResources('AWS::ApiGateway::Method', {
      Properties: { ResourceId: { 'Fn::GetAtt': [apiId, 'RootResourceId'] } },
    });
    const methods = Object.values(root).map((m) => m.Properties);
    expect(methods).toHaveLength(1);
    expect(methods[0]).toMatchObject({ HttpMethod: 'ANY', AuthorizationType: 'AWS_IAM' });
    expect(methods[0].Integration.Type).toBe('AWS_PROXY');
    expect(JSON.stringify(methods[0].Integration.Uri)).toContain(kpiFunction(template)[0]);
  });

  it('runs the Lambda below API Gateway’s 29 s limit and the query deadline below the Lambda’s', () => {
    const [, fn] = kpiFunction(template);
    const env = fn.Properties.Environment.Variables;
    expect(fn.Properties.Timeout).toBeLessThan(29);
    expect(Number(env.QUERY_DEADLINE_MS)).toBeLessThan(fn.Properties.Timeout * 1000 - 2000);
    expect(env).toMatchObject({
      ATHENA_WORKGROUP: 'mobile-kpi',
      GLUE_DATABASE: 'mobile_kpi',
      LAKE_BUCKET: { Ref: onlyId(template, 'AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() }) },
    });
  });

  it('lets the Lambda query only in the workgroup, read only the events and rollup tables, their prefixes and the manifests, and write only results', () => {
    const [, fn] = kpiFunction(template);
    const statements = statementsOf(template, fn.Properties.Role['Fn::GetAtt'][0]);
    const grants = new Map<string, string[]>();
    for (const s of statements) {
      for (const action of [s.Action].flat()) {
        const resources = [s.Resource].flat().map(flatten);
        grants.set(action, [...(grants.get(action) ?? []), ...resources]);
      }
    }
    // biome-ignore lint/suspicious/noTemplateCurlyInString: flatten() renders pseudo parameters as ${AWS::...}
    const region = 'arn:${AWS::Partition}:%s:${AWS::Region}:${AWS::AccountId}';
    const bucket = `\${${onlyId(template, 'AWS::S3::Bucket', { LoggingConfiguration: Match.anyValue() })}.Arn}`;
    for (const action of [
      'athena:StartQueryExecution',
      'athena:GetQueryExecution',
      'athena:GetQueryResults',
      'athena:StopQueryExecution',
    ]) {
      expect(grants.get(action)).toEqual([`${region.replace('%s', 'athena')}:workgroup/mobile-kpi`]);
    }
    const glue = region.replace('%s', 'glue');
    const eventsTable = [`${glue}:catalog`, `${glue}:database/mobile_kpi`, `${glue}:table/mobile_kpi/events`];
    const rollupTables = [
      'rollup_activity',
      'rollup_client_days',
      'rollup_event_stats',
      'rollup_clients',
    ].map((t) => `${glue}:table/mobile_kpi/${t}`);
    for (const action of ['glue:GetDatabase', 'glue:GetPartitions']) {
      expect(grants.get(action)?.sort()).toEqual(eventsTable.sort());
    }
    expect(grants.get('glue:GetTable')?.sort()).toEqual([...eventsTable, ...rollupTables].sort());
    expect(grants.has('glue:UpdateTable')).toBe(false);
    const rollupReads = [
      'rollups/activity/*',
      'rollups/client_days/*',
      'rollups/event_stats/*',
      'rollups/clients/*',
      'rollups/manifests/app_id=*.json',
    ];
    expect(grants.get('s3:GetObject')?.sort()).toEqual(
      [
        `${bucket}/athena-results/*`,
        `${bucket}/events/*`,
        ...rollupReads.map((p) => `${bucket}/${p}`),
      ].sort(),
    );
    expect(grants.get('s3:PutObject')).toEqual([`${bucket}/athena-results/*`]);
    expect(grants.get('s3:ListBucket')).toEqual([bucket, bucket, bucket]);
    expect(grants.has('s3:DeleteObject')).toBe(false);
    const lists = statements.filter((s) => s.Action === 's3:ListBucket').map((s) => s.Condition);
    expect(lists).toEqual([
      { StringLike: { 's3:prefix': ['events/*', 'athena-results/*'] } },
      { StringEquals: { 's3:prefix': 'events/', 's3:delimiter': '/' } },
      { StringLike: { 's3:prefix': rollupReads } },
    ]);
    for (const [action, resources] of grants) {
      expect(action).not.toContain('*');
      expect(resources).not.toContain('*');
    }
  });

  it('outputs its URL and a managed policy that lists the apps and reads every app’s KPIs', () => {
    template.hasOutput('KpiApiUrl', {});
    const [policyId, policy] = byName(template, 'AWS::IAM::ManagedPolicy', 'to grant one app');
    const [statement] = policy.Properties.PolicyDocument.Statement;
    expect(statement.Action).toBe('execute-api:Invoke');
    const stageId = onlyId(template, 'AWS::ApiGateway::Stage', { RestApiId: { Ref: apiId } });
    const stage = `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiId}}/\${${stageId}}`;
    expect(statement.Resource.map(flatten).sort()).toEqual([
      `${stage}/GET/`,
      `${stage}/GET/apps`,
      `${stage}/GET/apps/*`,
      `${stage}/GET/openapi.json`,
    ]);
    template.hasOutput('KpiReadPolicyArn', { Value: { Ref: policyId } });
  });
});
