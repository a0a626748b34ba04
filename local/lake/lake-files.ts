import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EVENTS_PREFIX, partitionPath } from '../../lambdas/core/lake-layout';

/**
 * File-system steps the local lake is built from. Every file that appears under `events/` is
 * first written elsewhere, synced, and then renamed into place, so a reader (DuckDB globbing
 * `*.parquet`) sees either nothing or a whole file, and a file that is visible survives a crash.
 */

/** Folder below the data dir for files being written; same file system as `events/`, so renames are atomic. */
export const STAGING_DIR = '.staging';

/** Removes the staging folder and what a stopped process left in it. */
export async function clearStaging(dataDir: string): Promise<void> {
  await rm(join(dataDir, STAGING_DIR), { recursive: true, force: true });
}

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

/** {@link syncDir} on the calling thread, for the log's write path (`lake-log.ts`). */
export function syncDirNow(path: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
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

/**
 * A Parquet file of a partition. `seq` is the commit sequence number of the newest log write
 * whose events it holds (from its name, see {@link lakeFileName}); a file named otherwise,
 * e.g. by an older version, counts as 0.
 */
export interface LakeFile {
  readonly name: string;
  readonly bytes: number;
  readonly seq: number;
}

/** What wrote a lake file: the log's conversion (or an import), or a compaction. */
export type LakeFileKind = 'events' | 'compacted';

const SEQ_DIGITS = 16;
const FILE_SEQ = /^(?:events|compacted)-(\d{1,16})-/;

/** A new, unique lake file name carrying the newest commit sequence number of its events. */
export function lakeFileName(kind: LakeFileKind, seq: number): string {
  return `${kind}-${String(seq).padStart(SEQ_DIGITS, '0')}-${randomUUID()}.parquet`;
}

/** The sequence number in a name from {@link lakeFileName}; 0 for any other name. */
export function fileSeq(name: string): number {
  const match = FILE_SEQ.exec(name);
  return match?.[1] ? Number(match[1]) : 0;
}

/** The Parquet files of a partition folder with their sizes and sequence numbers, by name. */
export async function partitionFiles(dir: string): Promise<LakeFile[]> {
  const files: LakeFile[] = [];
  for (const name of await parquetFiles(dir)) {
    const { size } = await stat(join(dir, name));
    files.push({ name, bytes: size, seq: fileSeq(name) });
  }
  return files;
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
