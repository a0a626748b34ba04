import { paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import type { AppDirectory } from '../core/app-directory';
import { ServiceUnavailableError, TooManyRequestsError } from '../core/errors';
import { appIdOfFolder, EVENTS_PREFIX } from '../core/lake-layout';

export interface S3AppDirectoryOptions {
  /** The lake bucket: events under `events/app_id=<id>/dt=<day>/`. */
  readonly bucket: string;
  /** @default a new S3Client for the Lambda's region */
  readonly client?: S3Client;
}

/** S3's error codes for "slow down" (after the SDK's own retries) and for a fault on its side. */
const THROTTLING = new Set(['SlowDown', 'ThrottlingException', 'TooManyRequestsException']);
const UNAVAILABLE = new Set(['InternalError', 'ServiceUnavailable']);

/**
 * The apps of the deployed lake (`GET /apps`, docs/CONTRACT.md §3): the `events/app_id=<id>/`
 * prefixes of the bucket, from ListObjectsV2 with delimiter `/` under `events/`, every page. S3
 * has a prefix only while an object is under it, so each listed app has events. The KPI role may
 * list exactly this (s3:ListBucket with s3:prefix `events/` and s3:delimiter `/`).
 */
export class S3AppDirectory implements AppDirectory {
  private readonly client: S3Client;

  constructor(private readonly options: S3AppDirectoryOptions) {
    this.client = options.client ?? new S3Client({});
  }

  async apps(): Promise<readonly string[]> {
    const apps = new Set<string>();
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.options.bucket, Prefix: EVENTS_PREFIX, Delimiter: '/' },
    );
    try {
      for await (const page of pages) {
        for (const { Prefix } of page.CommonPrefixes ?? []) {
          const folder = Prefix?.slice(EVENTS_PREFIX.length).replace(/\/$/, '') ?? '';
          const appId = appIdOfFolder(folder);
          if (appId !== undefined) apps.add(appId);
        }
      }
    } catch (err) {
      throw listingError(err);
    }
    return [...apps].sort();
  }
}

/** S3 throttling is a 429 and an S3 fault a 503; anything else (a misconfiguration) goes to the error mapper as is. */
function listingError(error: unknown): unknown {
  const name = (error as Error).name;
  if (THROTTLING.has(name)) {
    return new TooManyRequestsError('S3 is throttling the listing of apps; retry shortly', {
      cause: error,
      retryAfterSeconds: 2,
    });
  }
  if (UNAVAILABLE.has(name)) {
    return new ServiceUnavailableError('S3 could not list the apps; retry shortly', {
      cause: error,
      retryAfterSeconds: 2,
    });
  }
  return error;
}
