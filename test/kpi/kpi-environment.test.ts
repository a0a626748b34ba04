import { athenaOptionsFromEnvironment } from '../../lambdas/kpi/kpi-environment';

const complete = { ATHENA_WORKGROUP: 'kpi', GLUE_DATABASE: 'mobile_kpis', QUERY_DEADLINE_MS: '25000' };

describe('KPI Lambda configuration', () => {
  it('reads the workgroup, database and deadline', () => {
    expect(athenaOptionsFromEnvironment(complete)).toEqual({
      workGroup: 'kpi',
      database: 'mobile_kpis',
      deadlineMs: 25000,
    });
  });

  it.each(Object.keys(complete))('fails naming %s when it is missing', (name) => {
    const env: NodeJS.ProcessEnv = { ...complete, [name]: undefined };
    expect(() => athenaOptionsFromEnvironment(env)).toThrow(
      `Environment variable ${name} is required but not set`,
    );
  });

  it.each(['abc', '500', '29000', '2.5e4'])(
    'rejects QUERY_DEADLINE_MS=%s, saying what is allowed',
    (value) => {
      expect(() => athenaOptionsFromEnvironment({ ...complete, QUERY_DEADLINE_MS: value })).toThrow(
        `QUERY_DEADLINE_MS must be whole milliseconds from 1000 to 28000 (API Gateway gives up at 29 s), got "${value}"`,
      );
    },
  );

  it('accepts GLUE_TABLE=events and rejects another table, which the SQL would not read', () => {
    expect(athenaOptionsFromEnvironment({ ...complete, GLUE_TABLE: 'events' }).database).toBe('mobile_kpis');
    expect(() => athenaOptionsFromEnvironment({ ...complete, GLUE_TABLE: 'raw_events' })).toThrow(
      'GLUE_TABLE must be events, the table the KPI SQL reads; got "raw_events"',
    );
  });

  it('lets the handler module load with the environment set, and fail fast without it', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, complete);
      jest.isolateModules(() => {
        expect(typeof require('../../lambdas/handlers/kpi').handler).toBe('function');
      });
      delete process.env.GLUE_DATABASE;
      jest.isolateModules(() => {
        expect(() => require('../../lambdas/handlers/kpi')).toThrow('GLUE_DATABASE');
      });
    } finally {
      process.env = saved;
    }
  });
});
