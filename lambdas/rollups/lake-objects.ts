import {
  GetObjectCommand,
  ListObjectsV2Command,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { EVENTS_PREFIX } from '../core/lake-layout';
import type { DtRange } from '../core/rollup-catalog';
import { type LakeObject, manifestKey, parseManifest, type RollupManifest } from './rollup-manifest';

/**
 * An app's raw objects in the lake bucket, per UTC day, from ListObjectsV2 (strongly consistent:
 * an object is listed as soon as its PUT is acknowledged, before any query can read it), and its
 * rollup manifest. Shared by the rollup job and the KPI Lambda's catalog.
 */

/** The objects of each day with any, in key order. */
export type DayObjects = ReadonlyMap<string, readonly LakeObject[]>;

const OBJECT_KEY = /^dt=(\d{4}-\d{2}-\d{2})\/([^/]+)$/;

/** The app's prefix, `events/app_id=<id>/`. */
export function appPrefix(appId: string): string {
  return `${EVENTS_PREFIX}app_id=${appId}/`;
}

/**
 * The app's objects of the days in `range` (every day when absent), by one paginated listing of
 * `events/app_id=<id>/` from the range's first day. Athena ignores objects whose name starts with
 * `_` or `.`; so does this.
 */
export async function listDays(
  client: S3Client,
  bucket: string,
  appId: string,
  range?: DtRange,
): Promise<Map<string, LakeObject[]>> {
  const prefix = appPrefix(appId);
  const days = new Map<string, LakeObject[]>();
  const pages = paginateListObjectsV2(
    { client },
    {
      Bucket: bucket,
      Prefix: prefix,
      ...(range?.from === undefined ? {} : { StartAfter: `${prefix}dt=${range.from}` }),
    },
  );
  for await (const page of pages) {
    for (const { Key, ETag, Size } of page.Contents ?? []) {
      const match = OBJECT_KEY.exec(Key?.slice(prefix.length) ?? '');
      const [, dt, name] = match ?? [];
      if (dt === undefined || name === undefined || /^[_.]/.test(name)) continue;
      if (range !== undefined && dt > range.to) return days;
      const objects = days.get(dt) ?? [];
      objects.push({ name, etag: ETag ?? '', size: Size ?? 0 });
      days.set(dt, objects);
    }
  }
  return days;
}

/**
 * The ETag of the app's manifest, or undefined when it has none, from a listing of its key. A GET
 * of a missing key is answered 404 only to a caller allowed to list the bucket, which a role
 * allowed to list some prefixes only may not be; a listing says it with the permission the
 * catalog has anyway, and is strongly consistent.
 */
export async function manifestEtag(
  client: S3Client,
  bucket: string,
  appId: string,
): Promise<string | undefined> {
  const key = manifestKey(appId);
  const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  const object = listed.Contents?.find((o) => o.Key === key);
  return object === undefined ? undefined : (object.ETag ?? '');
}

/** The app's manifest as stored now, or undefined when it has none. */
export async function getManifest(
  client: S3Client,
  bucket: string,
  appId: string,
): Promise<RollupManifest | undefined> {
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: manifestKey(appId) }));
    return parseManifest((await object.Body?.transformToString()) ?? '', appId);
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return undefined;
    throw error;
  }
}

/** The app's rollup manifest, or undefined when it has none yet. */
export async function readManifest(
  client: S3Client,
  bucket: string,
  appId: string,
): Promise<RollupManifest | undefined> {
  return (await manifestEtag(client, bucket, appId)) === undefined
    ? undefined
    : getManifest(client, bucket, appId);
}
