import { readIngestEnvironment, readKpiEnvironment } from '../../lambdas/handlers/environment';

const complete = {
  ATHENA_WORKGROUP: 'kpi',
  GLUE_DATABASE: 'mobile_kpis',
  QUERY_DEADLINE_MS: '25000',
  LAKE_BUCKET: 'kpi-lake',
};

describe('ingest Lambda configuration', () => {
  it('reads the delivery stream name, and fails naming DELIVERY_STREAM_NAME without it', () => {
    expect(readIngestEnvironment({ DELIVERY_STREAM_NAME: 'kpi-events' })).toEqual({
      deliveryStreamName: 'kpi-events',
    });
    expect(() => readIngestEnvironment({})).toThrow(
      'Environment variable DELIVERY_STREAM_NAME is required but not set',
    );
  });
});

describe('KPI Lambda configuration', () => {
  it('reads the workgroup, database, deadline and lake bucket', () => {
    expect(readKpiEnvironment(complete)).toEqual({
      athena: { workGroup: 'kpi', database: 'mobile_kpis', deadlineMs: 25000 },
      lakeBucket: 'kpi-lake',
    });
  });

  it.each(Object.keys(complete))('fails naming %s when it is missing', (name) => {
    const env: NodeJS.ProcessEnv = { ...complete, [name]: undefined };
    expect(() => readKpiEnvironment(env)).toThrow(`Environment variable ${name} is required but not set`);
  });

  it.each(['abc', '500', '29000', '2.5e4'])(
    'rejects QUERY_DEADLINE_MS=%s, saying what is allowed',
    (value) => {
      expect(() => readKpiEnvironment({ ...complete, QUERY_DEADLINE_MS: value })).toThrow(
        `QUERY_DEADLINE_MS must be whole milliseconds from 1000 to 28000 (API Gateway gives up at 29 s), got "${value}"`,
      );
    },
  );

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
