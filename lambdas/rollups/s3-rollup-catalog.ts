import { S3Client } from '@aws-sdk/client-s3';
import type { DtRange, RollupCatalog, RollupCoverage } from '../core/rollup-catalog';
import { getManifest, listDays, manifestEtag } from './lake-objects';
import { coverageOf, type DayState } from './rollup-coverage';
import { builtFrom, type RollupManifest } from './rollup-manifest';

export interface S3RollupCatalogOptions {
  /** The lake bucket: raw events under `events/`, manifests under `rollups/manifests/`. */
  readonly bucket: string;
  /** @default a new S3Client for the Lambda's region */
  readonly client?: S3Client;
}

/**
 * The deployed {@link RollupCatalog} (ADR 019): for each request it lists the app's rollup
 * manifest (reading it again only when its ETag changed) and the requested days' raw objects,
 * both at that moment. A day is read from
 * its rollup only when its partition holds exactly the objects the manifest says its rows were
 * built from; a day with any other object (a late or new Firehose object, a compacted copy) is
 * read from raw events from the moment S3 lists the object, i.e. before any query can read it,
 * without waiting for a notification or a run of the job. No manifest: every day is raw. A day
 * the manifest names whose objects are gone (expired) is raw too.
 */
export class S3RollupCatalog implements RollupCatalog {
  private readonly client: S3Client;
  /** Each app's manifest as last read, by the ETag it was listed with: read again only when it changes. */
  private readonly manifests = new Map<
    string,
    { readonly etag: string; readonly manifest?: RollupManifest }
  >();

  constructor(private readonly options: S3RollupCatalogOptions) {
    this.client = options.client ?? new S3Client({});
  }

  async coverage(appId: string, range: DtRange): Promise<RollupCoverage> {
    const { bucket } = this.options;
    const [etag, listed] = await Promise.all([
      manifestEtag(this.client, bucket, appId),
      listDays(this.client, bucket, appId, range),
    ]);
    const manifest = await this.manifest(appId, etag);
    const days: DayState[] = [];
    for (const [dt, objects] of listed) {
      const built = manifest?.days[dt];
      days.push(
        built && builtFrom(built, objects)
          ? { dt, rollup: { version: built.version, latestArrival: built.latestArrival } }
          : { dt },
      );
    }
    // A day the manifest names that no longer has objects (raw events expired) is raw: its rows
    // no longer match the lake, and the job removes them.
    for (const dt of Object.keys(manifest?.days ?? {})) {
      if (!listed.has(dt) && dt >= (range.from ?? '') && dt <= range.to) days.push({ dt });
    }
    return coverageOf(days);
  }

  /**
   * The manifest listed with `etag`. A GET after the listing returns that manifest or a newer
   * one; a newer one names objects the listing of the days may not hold yet, which only makes
   * days raw.
   */
  private async manifest(appId: string, etag: string | undefined): Promise<RollupManifest | undefined> {
    if (etag === undefined) return undefined;
    const known = this.manifests.get(appId);
    if (known?.etag === etag) return known.manifest;
    const manifest = await getManifest(this.client, this.options.bucket, appId);
    this.manifests.set(appId, { etag, ...(manifest === undefined ? {} : { manifest }) });
    return manifest;
  }
}
