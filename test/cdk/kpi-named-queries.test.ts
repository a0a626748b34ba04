import type { Template } from 'aws-cdk-lib/assertions';
import { namedQueries } from '../../lambdas/kpi/named-queries';
import { TEST_LAKE } from '../support/lake';
import { synthTemplate } from './synth';

describe('Athena named queries', () => {
  let template: Template;
  beforeAll(() => {
    template = synthTemplate();
  });

  it('saves one query per KPI definition', () => {
    expect(namedQueries(TEST_LAKE).length).toBeGreaterThan(0);
    template.resourceCountIs('AWS::Athena::NamedQuery', namedQueries(TEST_LAKE).length);
  });

  it('saves each KPI’s SQL under its name, in the project workgroup and database', () => {
    const saved = new Map(
      Object.values(template.findResources('AWS::Athena::NamedQuery')).map((q) => [
        q.Properties.Name,
        q.Properties,
      ]),
    );
    for (const query of namedQueries(TEST_LAKE)) {
      expect(saved.get(query.name)).toEqual({
        Name: query.name,
        Description: query.description,
        QueryString: query.sql,
        Database: 'mobile_kpi',
        WorkGroup: 'mobile-kpi',
      });
    }
  });

  it('creates the queries after the workgroup they belong to', () => {
    const [workGroupId] = Object.keys(template.findResources('AWS::Athena::WorkGroup'));
    for (const query of Object.values(template.findResources('AWS::Athena::NamedQuery'))) {
      expect(query.DependsOn).toContain(workGroupId);
    }
  });
});
