import { ROLLUPS_PREFIX } from '../core/lake-layout';
import { DAY_TABLES } from './rollup-tables';

/**
 * The deployed rollups' manifest (docs/ROLLUPS.md, ADR 019): one JSON object per app in the lake
 * bucket, `rollups/manifests/app_id=<id>.json`, naming per UTC day the raw objects (name, ETag,
 * size) the day's rollup rows were built from. The rollup job replaces it whole, with one PUT,
 * after the day's rows are committed; the KPI Lambda's catalog compares it with a listing of the
 * day's partition. A day whose partition holds other objects than the manifest names has events
 * its rollup may lack, and is read from raw events.
 */

/** One raw object of a partition, as ListObjectsV2 reports it. */
export interface LakeObject {
  /** The object's name below `events/app_id=<id>/dt=<day>/`. */
  readonly name: string;
  readonly etag: string;
  readonly size: number;
}

export interface ManifestDay {
  /** The partition's objects when the build began (its rows include at least their events). */
  readonly objects: readonly LakeObject[];
  /** Raw records the build read (copies and `_endpoint.*` records included). */
  readonly records: number;
  /** The latest arrival_timestamp (ms) among them; absent when the objects hold no record. */
  readonly latestArrival?: number;
  /** Unique to this build of the day's rows. */
  readonly version: string;
  /**
   * The day tables the build wrote the day's rows to. A day built before a table existed (a
   * manifest of an older job has no `tables`) lacks that table's rows: it is not current, and the
   * next run builds it again.
   */
  readonly tables?: readonly string[];
}

export interface RollupManifest {
  readonly appId: string;
  readonly days: Readonly<Record<string, ManifestDay>>;
}

/** Where an app's manifest is, in the lake bucket. */
export function manifestKey(appId: string): string {
  return `${ROLLUPS_PREFIX}manifests/app_id=${appId}.json`;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function isObject(value: unknown): value is LakeObject {
  if (typeof value !== 'object' || value === null) return false;
  const { name, etag, size } = value as Record<string, unknown>;
  return isText(name) && isText(etag) && isCount(size);
}

function isDay(value: unknown): value is ManifestDay {
  if (typeof value !== 'object' || value === null) return false;
  const { objects, records, latestArrival, version, tables } = value as Record<string, unknown>;
  return (
    Array.isArray(objects) &&
    objects.every(isObject) &&
    isCount(records) &&
    (latestArrival === undefined || isCount(latestArrival)) &&
    isText(version) &&
    (tables === undefined || (Array.isArray(tables) && tables.every(isText)))
  );
}

/** A manifest's text as a {@link RollupManifest} of `appId`; anything else is an error naming the key. */
export function parseManifest(text: string, appId: string): RollupManifest {
  const key = manifestKey(appId);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`The rollup manifest ${key} is not JSON: ${(err as Error).message}`);
  }
  const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const { days } = fields;
  if (
    fields.appId !== appId ||
    typeof days !== 'object' ||
    days === null ||
    !Object.entries(days).every(([dt, day]) => /^\d{4}-\d{2}-\d{2}$/.test(dt) && isDay(day))
  ) {
    throw new Error(`The rollup manifest ${key} does not name app ${appId} and its days`);
  }
  return { appId, days: days as Record<string, ManifestDay> };
}

/** The day tables a build writes, for {@link ManifestDay.tables}. */
export const BUILT_TABLES: readonly string[] = DAY_TABLES.map((table) => table.name);

/**
 * Whether a day's rows were built from exactly these objects (same names and ETags), into every
 * day table.
 */
export function builtFrom(day: ManifestDay | undefined, objects: readonly LakeObject[]): boolean {
  if (!day || day.objects.length !== objects.length || objects.length === 0) return false;
  if (!BUILT_TABLES.every((table) => day.tables?.includes(table))) return false;
  const built = new Set(day.objects.map((o) => `${o.name}\n${o.etag}`));
  return objects.every((o) => built.has(`${o.name}\n${o.etag}`));
}
