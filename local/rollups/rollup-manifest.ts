import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLLUPS_PREFIX } from '../../lambdas/core/lake-layout';
import { orIfMissing } from '../lake/lake-files';

/**
 * An app's rollups in the local lake, as one JSON file per app: which file holds its
 * `rollup_clients`, and per UTC day which raw files its rollup was built from and which files
 * hold it. Compaction replaces it whole, in the same commit as the files it names
 * (`local/lake/compact.ts`); a day whose partition holds other files than its `sources` has
 * events its rollup lacks.
 */

export interface RollupDayEntry {
  /** Names of the partition's raw Parquet files the rollup was built from. */
  readonly sources: readonly string[];
  /** Raw records read (copies and `_endpoint.*` records included). */
  readonly records: number;
  /** The latest arrival_timestamp (ms) among them. */
  readonly latestArrival: number;
  /** Unique to this build of the day's rollup. */
  readonly version: string;
  /** File name per rollup table name, in the table's folder for the day. */
  readonly files: Readonly<Record<string, string>>;
}

export interface RollupManifest {
  readonly appId: string;
  /** File name of the app's `rollup_clients`. */
  readonly clients: string;
  readonly days: Readonly<Record<string, RollupDayEntry>>;
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
  const { sources, records, latestArrival, version, files } = value as Record<string, unknown>;
  return (
    Array.isArray(sources) &&
    sources.every(isText) &&
    isCount(records) &&
    isCount(latestArrival) &&
    isText(version) &&
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

/** Whether a day's rollup was built from exactly these raw files. */
export function builtFrom(entry: RollupDayEntry | undefined, files: readonly string[]): boolean {
  if (!entry || entry.sources.length !== files.length) return false;
  const sources = new Set(entry.sources);
  return files.every((f) => sources.has(f));
}
