import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLLUPS_PREFIX } from '../../lambdas/core/lake-layout';
import { DAY_TABLES } from '../../lambdas/rollups/rollup-tables';
import { orIfMissing } from '../lake/lake-files';

/**
 * An app's rollups in the local lake, as one JSON file per app: which file holds its
 * `rollup_clients`, and per UTC day the partition version its rollup was built from
 * (`LakeSnapshot.version`) and which files hold it. Each rollup build replaces it whole, in the
 * same journaled step as the files it names (`lake-rollups.ts`); a day whose partition has
 * another version now has events its rollup lacks, and a day without a file of every day table
 * was built before that table existed (a lake made by an older version): neither is current.
 */

export interface RollupDayEntry {
  /** The partition's version (newest commit sequence number) the rollup was built from. */
  readonly version: number;
  /** Raw records read (copies and `_endpoint.*` records included). */
  readonly records: number;
  /** The latest arrival_timestamp (ms) among them. */
  readonly latestArrival: number;
  /** File name per rollup table name, in the table's folder for the day. */
  readonly files: Readonly<Record<string, string>>;
}

export interface RollupManifest {
  readonly appId: string;
  /** File name of the app's `rollup_clients`. */
  readonly clients: string;
  readonly days: Readonly<Record<string, RollupDayEntry>>;
}

/** Whether the day's rollup has its rows in every day table (see {@link RollupDayEntry.files}). */
export function hasEveryTable(entry: RollupDayEntry): boolean {
  return DAY_TABLES.every((table) => entry.files[table.name] !== undefined);
}

const MANIFESTS = 'manifests';

export function manifestsDir(dataDir: string): string {
  return join(dataDir, ROLLUPS_PREFIX, MANIFESTS);
}

export function manifestPath(dataDir: string, appId: string): string {
  return join(manifestsDir(dataDir), `app_id=${appId}.json`);
}

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

function isDayEntry(value: unknown): value is RollupDayEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { version, records, latestArrival, files } = value as Record<string, unknown>;
  return (
    isCount(version) &&
    isCount(records) &&
    isCount(latestArrival) &&
    typeof files === 'object' &&
    files !== null &&
    Object.values(files).every(isText)
  );
}

/** A manifest's text as a {@link RollupManifest}; anything else is an error naming the file. */
export function parseManifest(text: string, path: string): RollupManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`The rollup manifest ${path} is not JSON: ${(err as Error).message}`);
  }
  const { appId, clients, days } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (
    !isText(appId) ||
    !isText(clients) ||
    typeof days !== 'object' ||
    days === null ||
    !Object.values(days).every(isDayEntry)
  ) {
    throw new Error(`The rollup manifest ${path} does not name an app, its clients file and its days`);
  }
  return { appId, clients, days: days as Record<string, RollupDayEntry> };
}

/** The app's manifest, or undefined when it has no rollups. */
export async function readManifest(dataDir: string, appId: string): Promise<RollupManifest | undefined> {
  const path = manifestPath(dataDir, appId);
  const text = await orIfMissing(readFile(path, 'utf8'), undefined);
  return text === undefined ? undefined : parseManifest(text, path);
}

/** Every manifest of the lake. */
export async function readManifests(dataDir: string): Promise<RollupManifest[]> {
  const names = await orIfMissing(readdir(manifestsDir(dataDir)), []);
  const manifests: RollupManifest[] = [];
  for (const name of names.sort()) {
    const match = /^app_id=(.+)\.json$/.exec(name);
    if (!match?.[1]) continue;
    const manifest = await readManifest(dataDir, match[1]);
    if (manifest) manifests.push(manifest);
  }
  return manifests;
}
