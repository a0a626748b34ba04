import { ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ServiceUnavailableError, TooManyRequestsError } from '../../lambdas/core/errors';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { S3AppDirectory } from '../../lambdas/kpi/s3-app-directory';
import { TEST_LAKE } from '../support/lake';

const s3 = mockClient(S3Client);
const directory = () => new S3AppDirectory({ bucket: 'lake', client: new S3Client({}) });
const prefixes = (...names: string[]) => names.map((name) => ({ Prefix: `events/${name}/` }));

const s3Error = (name: string, status: number) =>
  new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });

beforeEach(() => s3.reset());

describe('the apps of the lake bucket', () => {
  it('lists events/ with delimiter /, follows every page and answers the app ids sorted', async () => {
    s3.on(ListObjectsV2Command, { ContinuationToken: undefined }).resolves({
      CommonPrefixes: prefixes('app_id=zeta', 'app_id=demo'),
      IsTruncated: true,
      NextContinuationToken: 'page-2',
    });
    s3.on(ListObjectsV2Command, { ContinuationToken: 'page-2' }).resolves({
      CommonPrefixes: prefixes('app_id=alpha.2', 'app_id=demo'),
      IsTruncated: false,
    });

    expect(await directory().apps()).toEqual(['alpha.2', 'demo', 'zeta']);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
    for (const call of s3.commandCalls(ListObjectsV2Command)) {
      expect(call.args[0].input).toMatchObject({ Bucket: 'lake', Prefix: 'events/', Delimiter: '/' });
    }
  });

  it('leaves out prefixes that are not app folders or name no valid app id', async () => {
    s3.on(ListObjectsV2Command).resolves({
      CommonPrefixes: prefixes('app_id=demo', 'tmp', 'app_id=', 'app_id=-bad', 'app_id=has space'),
    });
    expect(await directory().apps()).toEqual(['demo']);
  });

  it('answers an empty list for an empty lake', async () => {
    s3.on(ListObjectsV2Command).resolves({ KeyCount: 0 });
    expect(await directory().apps()).toEqual([]);
  });

  it('turns S3 throttling into a 429 and an S3 fault into a 503, and lets anything else through', async () => {
    s3.on(ListObjectsV2Command).rejects(s3Error('SlowDown', 503));
    await expect(directory().apps()).rejects.toBeInstanceOf(TooManyRequestsError);
    s3.on(ListObjectsV2Command).rejects(s3Error('InternalError', 500));
    await expect(directory().apps()).rejects.toBeInstanceOf(ServiceUnavailableError);
    s3.on(ListObjectsV2Command).rejects(s3Error('AccessDenied', 403));
    await expect(directory().apps()).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('is what GET /apps answers', async () => {
    s3.on(ListObjectsV2Command).resolves({ CommonPrefixes: prefixes('app_id=demo', 'app_id=b') });
    const app = createKpiApp({
      engine: { query: () => Promise.reject(new Error('no query')) },
      lake: TEST_LAKE,
      apps: directory(),
    });
    const response = await app.request('/apps');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ apps: ['b', 'demo'] });
  });
});
