import { onlyResource, synthTemplate } from './synth';

describe("the lake's first day", () => {
  it('is one setting: the projection range, every Lambda that dates events, the all-history named queries and an output', () => {
    const template = synthTemplate({ lakeStartDate: '2024-06-01' });
    const table = onlyResource(template, 'AWS::Glue::Table', { TableInput: { Name: 'events' } });
    expect(table.Properties.TableInput.Parameters['projection.dt.range']).toBe('2024-06-01,NOW+1DAYS');
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME !== 'rollup-job',
    );
    expect(functions).toHaveLength(3);
    for (const fn of functions)
      expect(fn.Properties.Environment.Variables.LAKE_START_DATE).toBe('2024-06-01');
    const queries = Object.values(template.findResources('AWS::Athena::NamedQuery')).map(
      (q) => q.Properties.QueryString as string,
    );
    const history = queries.filter((q) => q.includes("dt BETWEEN '2024-06-01' AND"));
    expect(history.length).toBeGreaterThan(0);
    for (const q of history)
      expect(q).toContain("-- It reads every day from the lake's first day, '2024-06-01'");
    template.hasOutput('LakeStartDate', { Value: '2024-06-01' });
  });
});
