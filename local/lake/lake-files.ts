import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EVENTS_PREFIX, partitionPath } from '../../lambdas/core/lake-layout';

/**
 * File-system steps the local lake is built from. Every file that appears under `events/` is
 * first written elsewhere, synced, and then renamed into place, so a reader (DuckDB globbing
 * `*.parquet`) sees either nothing or a whole file, and a file that is visible survives a crash.
 */

/** Folder below the data dir for files being written; same file system as `events/`, so renames are atomic. */
export const STAGING_DIR = '.staging';

/** A new path in the data dir's staging folder, which is created when missing. */
export async function stagingPath(dataDir: string, suffix: string): Promise<string> {
  const staging = join(dataDir, STAGING_DIR);
  await ensureDir(staging);
  return join(staging, `${randomUUID()}${suffix}`);
}

/** One `events/app_id=<id>/dt=<day>/` folder. */
export interface Partition {
  readonly appId: string;
  readonly dt: string;
  readonly dir: string;
}

const PARTITION_NAME = /^(app_id|dt)=(.+)$/;

/** Flushes a file's data to disk. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (a rename or unlink in it) to disk. Windows cannot open folders; it skips. */
export async function syncDir(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  await syncFile(path);
}

/** Creates a folder and its missing parents, and makes each new entry durable. */
export async function ensureDir(path: string): Promise<void> {
  const first = await mkdir(path, { recursive: true });
  if (first === undefined) return;
  for (let dir = path; ; dir = dirname(dir)) {
    await syncDir(dirname(dir));
    if (dir === first) return;
  }
}

/** Moves a synced file into a lake folder under its final name: the moment it becomes visible. */
export async function publishFile(synced: string, dir: string, name: string): Promise<string> {
  await ensureDir(dir);
  const target = join(dir, name);
  await rename(synced, target);
  await syncDir(dir);
  return target;
}

/** The promise's value, or `missing` when it fails because the path does not exist. */
export function orIfMissing<T, M>(promise: Promise<T>, missing: M): Promise<T | M> {
  return promise.catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return missing;
    throw err;
  });
}

/** The `*.parquet` files of a folder, by name; nothing when the folder does not exist. */
export async function parquetFiles(dir: string): Promise<string[]> {
  const names = await orIfMissing(readdir(dir), []);
  return names.filter((n) => n.endsWith('.parquet')).sort();
}

/** The folder of one partition below a data dir (absolute, no trailing separator). */
export function partitionDir(dataDir: string, appId: string, dt: string): string {
  return resolve(dataDir, partitionPath(appId, dt));
}

async function subfolders(dir: string, key: 'app_id' | 'dt'): Promise<{ value: string; dir: string }[]> {
  const entries = await orIfMissing(readdir(dir, { withFileTypes: true }), []);
  return entries.flatMap((e) => {
    const match = e.isDirectory() ? PARTITION_NAME.exec(e.name) : null;
    return match?.[1] === key && match[2] ? [{ value: match[2], dir: join(dir, e.name) }] : [];
  });
}

/** Every `app_id=<id>/dt=<day>/` folder below a root folder, in app and day order. */
export async function partitionsUnder(root: string): Promise<Partition[]> {
  const partitions: Partition[] = [];
  for (const app of await subfolders(root, 'app_id')) {
    for (const day of await subfolders(app.dir, 'dt')) {
      partitions.push({ appId: app.value, dt: day.value, dir: resolve(day.dir) });
    }
  }
  return partitions.sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Every partition folder of the lake. */
export function lakePartitions(dataDir: string): Promise<Partition[]> {
  return partitionsUnder(join(dataDir, EVENTS_PREFIX));
}

export interface LakeStats {
  readonly partitions: number;
  readonly files: number;
  readonly bytes: number;
}

/**
 * How many partitions and Parquet files the lake has, and their total size. A file that a
 * running compaction deletes between the listing and its `stat` is not counted: it is gone.
 */
export async function lakeStats(dataDir: string): Promise<LakeStats> {
  let files = 0;
  let bytes = 0;
  const partitions = await lakePartitions(dataDir);
  for (const partition of partitions) {
    for (const name of await parquetFiles(partition.dir)) {
      const file = await orIfMissing(stat(join(partition.dir, name)), undefined);
      if (file === undefined) continue;
      files += 1;
      bytes += file.size;
    }
  }
  return { partitions: partitions.length, files, bytes };
}
