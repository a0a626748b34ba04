import { type Json, onlyId, synthTemplate } from './synth';

describe('API stages', () => {
  it.each(['mobile-kpi-ingest', 'mobile-kpi-kpi'])(
    '%s: its execution log group is declared under API Gateway’s name, with retention, before the stage',
    (name) => {
      const template = synthTemplate({ logRetentionDays: '14' });
      const apiId = onlyId(template, 'AWS::ApiGateway::RestApi', { Name: name });
      const groups = Object.entries(template.findResources('AWS::Logs::LogGroup')).filter(([, g]) =>
        JSON.stringify(g.Properties.LogGroupName ?? '').includes(apiId),
      ) as [string, Json][];
      expect(groups).toHaveLength(1);
      const [groupId, group] = groups[0] as [string, Json];
      expect(group.Properties).toEqual({
        LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: apiId }, '/prod']] },
        RetentionInDays: 14,
      });
      const stage = Object.values(template.findResources('AWS::ApiGateway::Stage')).find(
        (s) => s.Properties.RestApiId.Ref === apiId,
      );
      expect(stage?.Properties.StageName).toBe('prod');
      expect(stage?.DependsOn).toContain(groupId);
    },
  );
});
