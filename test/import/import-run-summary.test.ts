import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { NO_COUNTS } from '../../lambdas/import/import-counts';
import type { ImportObjectResult } from '../../lambdas/import/import-object';
import { summariseImportRun } from '../../lambdas/import/import-run-summary';
import { s3Body } from './support/s3-body';

const s3 = mockClient(S3Client);

const rejection = (file: string) => ({ file, position: 'record 1 at byte 0', reason: 'bad' });

function result(
  source: string,
  imported: number,
  extra: Partial<ImportObjectResult> = {},
): ImportObjectResult {
  return { ...NO_COUNTS, files: 1, bytes: 100, imported, source, ...extra };
}

function serve(files: Record<string, unknown>) {
  for (const [key, value] of Object.entries(files)) {
    s3.on(GetObjectCommand, { Bucket: 'lake', Key: key }).resolves({
      Body: s3Body(typeof value === 'string' ? value : JSON.stringify(value)),
    });
  }
}

beforeEach(() => {
  s3.reset();
  s3.on(PutObjectCommand).resolves({});
});

describe('adding up an import run', () => {
  it('sums what every object returned, lists the failed objects and writes the summary file', async () => {
    const prefix = 'import-reports/run-1/map/4f1c';
    serve({
      [`${prefix}/manifest.json`]: {
        DestinationBucket: 'lake',
        MapRunArn: 'arn:aws:states:us-east-1:111122223333:mapRun:m/ImportObjects:4f1c',
        ResultFiles: {
          SUCCEEDED: [
            { Key: `${prefix}/SUCCEEDED_0.json`, Size: 1 },
            { Key: `${prefix}/SUCCEEDED_1.json`, Size: 1 },
          ],
          FAILED: [{ Key: `${prefix}/FAILED_0.json`, Size: 1 }],
          PENDING: [],
        },
      },
      [`${prefix}/SUCCEEDED_0.json`]: [
        {
          Status: 'SUCCEEDED',
          Input: '{"bucket":"exports","key":"a.gz"}',
          Output: JSON.stringify(
            result('s3://exports/a.gz', 10, {
              skipped: { '_email.send': 2 },
              rejected: { bad: { count: 1, example: rejection('s3://exports/a.gz') } },
            }),
          ),
        },
      ],
      [`${prefix}/SUCCEEDED_1.json`]: `${JSON.stringify({
        Status: 'SUCCEEDED',
        Output: JSON.stringify(
          result('s3://exports/b.gz', 5, {
            skipped: { '_email.send': 1, '_SMS.SUCCESS': 4 },
            rejected: { bad: { count: 2, example: rejection('s3://exports/b.gz') } },
          }),
        ),
      })}\n`,
      [`${prefix}/FAILED_0.json`]: [
        {
          Status: 'FAILED',
          Input: '{"bucket":"exports","key":"c.gz","run":"run-1"}',
          Error: 'States.TaskFailed',
          Cause: 'The event store is throttling',
        },
      ],
    });
    const summary = await summariseImportRun(
      { run: 'run-1', map: { ResultWriterDetails: { Bucket: 'lake', Key: `${prefix}/manifest.json` } } },
      { s3: new S3Client({}), reportBucket: 'lake' },
    );
    expect(summary).toEqual({
      files: 2,
      bytes: 200,
      imported: 15,
      duplicates: 0,
      skipped: { '_email.send': 3, '_SMS.SUCCESS': 4 },
      rejected: { bad: { count: 3, example: rejection('s3://exports/a.gz') } },
      run: 'run-1',
      failedObjects: 1,
      failures: [
        { source: 's3://exports/c.gz', error: 'FAILED: States.TaskFailed: The event store is throttling' },
      ],
      reports: 's3://lake/import-reports/run-1/',
    });
    const [put] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(put?.Key).toBe('import-reports/run-1/summary.json');
    expect(JSON.parse(String(put?.Body))).toEqual(summary);
  });

  it('fails plainly when the Map state returned no result location', async () => {
    await expect(
      summariseImportRun({ run: 'r', map: {} }, { s3: new S3Client({}), reportBucket: 'lake' }),
    ).rejects.toThrow(/no ResultWriterDetails/);
  });
});
