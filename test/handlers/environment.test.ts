import {
  readImportEnvironment,
  readIngestEnvironment,
  readKpiEnvironment,
  readRollupJobEnvironment,
  readTransformerEnvironment,
} from '../../lambdas/handlers/environment';

const complete = {
  ATHENA_WORKGROUP: 'kpi',
  GLUE_DATABASE: 'mobile_kpis',
  QUERY_DEADLINE_MS: '25000',
  LAKE_START_DATE: '2020-02-29',
  LAKE_BUCKET: 'kpi-lake',
};
const lake = {
  startDate: '2020-02-29',
  startMs: Date.UTC(2020, 1, 29),
  setting: 'deploy with an earlier -c lakeStartDate=YYYY-MM-DD',
};

describe('ingest Lambda configuration', () => {
  const ingest = { DELIVERY_STREAM_NAME: 'kpi-events', LAKE_START_DATE: '2020-02-29' };

  it("reads the delivery stream name and the lake's first day; every app id unless listed", () => {
    expect(readIngestEnvironment(ingest)).toEqual({ deliveryStreamName: 'kpi-events', lake });
    expect(readIngestEnvironment({ ...ingest, ALLOWED_APP_IDS: 'game,game-beta' })).toEqual({
      deliveryStreamName: 'kpi-events',
      lake,
      allowedApps: new Set(['game', 'game-beta']),
    });
  });

  it.each(Object.keys(ingest))('fails naming %s when it is missing', (name) => {
    expect(() => readIngestEnvironment({ ...ingest, [name]: undefined })).toThrow(
      `Environment variable ${name} is required but not set`,
    );
  });

  it.each(['', 'game,,other', 'game other', 'a/b'])('rejects ALLOWED_APP_IDS=%j', (value) => {
    expect(() => readIngestEnvironment({ ...ingest, ALLOWED_APP_IDS: value })).toThrow(
      `ALLOWED_APP_IDS must be app ids separated by commas, without spaces`,
    );
  });
});

describe("every Lambda's lake", () => {
  it.each(['2014-13-01', '20140101', 'soon'])(
    'rejects LAKE_START_DATE=%s, saying what is allowed',
    (value) => {
      expect(() => readTransformerEnvironment({ LAKE_START_DATE: value })).toThrow(
        `LAKE_START_DATE must be a calendar day YYYY-MM-DD, got "${value}"`,
      );
    },
  );

  it('gives the transformer its lake', () => {
    expect(readTransformerEnvironment({ LAKE_START_DATE: '2020-02-29' })).toEqual({ lake });
  });
});

describe('import Lambdas configuration', () => {
  const importing = {
    DELIVERY_STREAM_NAME: 'kpi-events',
    REPORT_BUCKET: 'kpi-lake',
    LAKE_START_DATE: '2020-02-29',
  };

  it("reads the delivery stream, the report bucket and the stack's lake", () => {
    expect(readImportEnvironment(importing)).toEqual({
      deliveryStreamName: 'kpi-events',
      reportBucket: 'kpi-lake',
      lake,
    });
  });

  it.each(Object.keys(importing))('fails naming %s when it is missing', (name) => {
    expect(() => readImportEnvironment({ ...importing, [name]: undefined })).toThrow(
      `Environment variable ${name} is required but not set`,
    );
  });

  it('rejects a LAKE_START_DATE that is not a day, as every Lambda does', () => {
    expect(() => readImportEnvironment({ ...importing, LAKE_START_DATE: '2020-02-30' })).toThrow(
      'LAKE_START_DATE must be a calendar day YYYY-MM-DD, got "2020-02-30"',
    );
  });
});

describe('KPI Lambda configuration', () => {
  it("reads the workgroup, database, deadline, the lake's first day and the lake bucket", () => {
    expect(readKpiEnvironment(complete)).toEqual({
      engine: { workGroup: 'kpi', database: 'mobile_kpis', deadlineMs: 25000 },
      lake,
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

describe('rollup job Lambda configuration', () => {
  const job = { LAKE_BUCKET: 'kpi-lake', GLUE_DATABASE: 'mobile_kpi', ATHENA_WORKGROUP: 'kpi-rollups' };

  it('reads the lake bucket, the database and its own workgroup', () => {
    expect(readRollupJobEnvironment(job)).toEqual({
      bucket: 'kpi-lake',
      database: 'mobile_kpi',
      workGroup: 'kpi-rollups',
    });
  });

  it.each(Object.keys(job))('fails naming %s when it is missing', (name) => {
    expect(() => readRollupJobEnvironment({ ...job, [name]: undefined })).toThrow(
      `Environment variable ${name} is required but not set`,
    );
  });

  it('lets the handler module load with the environment set', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, job);
      jest.isolateModules(() => {
        expect(typeof require('../../lambdas/handlers/rollup-job').handler).toBe('function');
      });
    } finally {
      process.env = saved;
    }
  });
});
