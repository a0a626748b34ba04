import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENT_COLUMNS } from '../../lambdas/core/event-record';
import { sqlString } from '../../lambdas/core/sql-literal';
import { ROLLUP_CLIENTS, ROLLUP_TABLES } from '../../lambdas/rollups/rollup-tables';
import { buildRollups } from '../rollups/build-rollups';
import type { DaySnapshot, LakeRollupCatalog } from '../rollups/lake-rollup-catalog';
import { rollupDir } from '../rollups/rollup-files';
import {
  builtFrom,
  manifestPath,
  type RollupDayEntry,
  type RollupManifest,
  readManifest,
} from '../rollups/rollup-manifest';
import {
  ensureDir,
  lakePartitions,
  orIfMissing,
  type Partition,
  parquetFiles,
  stagingPath,
  syncDir,
  syncFile,
} from './lake-files';
import { lakeFileName } from './lake-writer';
import { ReadWriteLock } from './read-write-lock';

/**
 * Compaction keeps each partition in one Parquet file and each day's rollups current
 * (docs/ROLLUPS.md), without ever losing or duplicating a row and without any reader seeing
 * half of a change, even if the process dies at any point. For the partitions of one app:
 *
 * 1. merge each partition's files into one new file in the staging folder (when it has two or
 *    more), and build the rollups of every partition whose rollup is not current from the files
 *    listed at the start (`local/rollups/build-rollups.ts`), all staged and synced;
 * 2. write a journal `.compaction.json` naming every file to move into the lake, every file it
 *    replaces, and the app's new rollup manifest, and sync it: the commit point;
 * 3. under the lake lock, alone: move the staged files in, write the manifest, delete the
 *    replaced files;
 * 4. delete the journal.
 *
 * Recovery (when the lake opens, before the staging folder is cleared) finishes a journaled
 * commit, and a crash before the journal leaves only staged files, which are dropped. Queries
 * hold the lock shared, so none sees the merged file beside its sources or a rollup beside the
 * one it replaces.
 */

const JOURNAL = '.compaction.json';

export type CompactionStep = 'merged' | 'rolled-up' | 'journaled' | 'committed' | 'sources-removed' | 'done';

export interface CompactionOptions {
  readonly connection: DuckDBConnection;
  readonly dataDir: string;
  /** Held alone during the commit (step 3). @default a lock of its own */
  readonly lock?: ReadWriteLock;
  /** Told of each commit and consulted for writes meanwhile. @default none */
  readonly catalog?: LakeRollupCatalog;
  /** Rebuild every rollup of the apps, the client keys included, as if there were none. @default false */
  readonly rebuild?: boolean;
  /** Called after each durable step; tests stop there to act out a crash. @default nothing */
  readonly onStep?: (step: CompactionStep, partitions: readonly Partition[]) => void | Promise<void>;
}

interface Journal {
  /** The commit's staging folder, removed once the commit is done. */
  readonly staging: string;
  readonly renames: readonly { readonly from: string; readonly to: string }[];
  readonly deletes: readonly string[];
  readonly manifest: { readonly path: string; readonly content: string };
}

const COLUMNS = EVENT_COLUMNS.map((c) => `"${c.name}"`).join(', ');

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** A journal's text as a {@link Journal}; anything else is an error naming the file, never a guess. */
function parseJournal(text: string, path: string): Journal {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`The compaction journal ${path} is not JSON: ${(err as Error).message}`);
  }
  const { staging, renames, deletes, manifest } = (
    typeof value === 'object' && value !== null ? value : {}
  ) as Record<string, unknown>;
  const isRename = (r: unknown) =>
    typeof r === 'object' &&
    r !== null &&
    isText((r as Record<string, unknown>).from) &&
    isText((r as Record<string, unknown>).to);
  const manifestOk =
    typeof manifest === 'object' &&
    manifest !== null &&
    isText((manifest as Record<string, unknown>).path) &&
    isText((manifest as Record<string, unknown>).content);
  if (
    !isText(staging) ||
    !Array.isArray(renames) ||
    !renames.every(isRename) ||
    !Array.isArray(deletes) ||
    !deletes.every(isText) ||
    !manifestOk
  ) {
    throw new Error(
      `The compaction journal ${path} does not name the files to move, to delete and the manifest`,
    );
  }
  return value as Journal;
}

async function writeDurably(path: string, content: string): Promise<void> {
  const draft = `${path}.tmp`;
  await ensureDir(dirname(path));
  await writeFile(draft, content);
  await syncFile(draft);
  await rename(draft, path);
  await syncDir(dirname(path));
}

/**
 * Step 3 of a journaled commit, the moves: each is done once even when repeated after a crash
 * (a file already moved is in place). A file neither staged nor in place means the journal does
 * not describe this lake: nothing is deleted then, and the error names the file.
 */
async function applyMoves(journal: Journal, path: string): Promise<void> {
  for (const { from, to } of journal.renames) {
    await ensureDir(dirname(to));
    const moved = await orIfMissing(
      rename(from, to).then(() => true),
      false,
    );
    if (moved) await syncDir(dirname(to));
    else if (
      !(await orIfMissing(
        stat(to).then(() => true),
        false,
      ))
    ) {
      throw new Error(
        `The compaction journal ${path} moves ${from} to ${to}, but neither exists; the lake is left as it is`,
      );
    }
  }
  await writeDurably(journal.manifest.path, journal.manifest.content);
}

async function applyDeletes(journal: Journal): Promise<void> {
  for (const path of journal.deletes) await rm(path, { force: true });
  for (const dir of new Set(journal.deletes.map((p) => dirname(p))))
    await orIfMissing(syncDir(dir), undefined);
}

/** Finishes a compaction whose journal was written; run before the staging folder is cleared. */
export async function recoverLake(dataDir: string, lock = new ReadWriteLock()): Promise<void> {
  const path = join(dataDir, JOURNAL);
  await rm(`${path}.tmp`, { force: true });
  const text = await orIfMissing(readFile(path, 'utf8'), undefined);
  if (text === undefined) return;
  const journal = parseJournal(text, path);
  await lock.write(async () => {
    await applyMoves(journal, path);
    await applyDeletes(journal);
  });
  await unlink(path);
  await syncDir(dataDir);
  await rm(journal.staging, { recursive: true, force: true });
}

interface PartitionWork {
  readonly partition: Partition;
  readonly files: readonly string[];
  readonly snapshot?: DaySnapshot;
  /** The merged file's staged path, when the partition had several files. */
  merged?: string;
  readonly target: string;
}

/** The files a manifest entry names, as paths. */
function entryPaths(dataDir: string, appId: string, dt: string, entry: RollupDayEntry | undefined): string[] {
  if (!entry) return [];
  return ROLLUP_TABLES.flatMap((table) => {
    const name = entry.files[table.name];
    return name ? [join(rollupDir(dataDir, table, appId, dt), name)] : [];
  });
}

async function compactApp(
  appId: string,
  partitions: readonly Partition[],
  options: CompactionOptions,
): Promise<Partition[]> {
  const { dataDir, connection, catalog } = options;
  const rebuild = options.rebuild ?? false;
  const lock = options.lock ?? new ReadWriteLock();
  const step = async (name: CompactionStep, done: readonly Partition[]) => options.onStep?.(name, done);
  const old = await readManifest(dataDir, appId);
  const work: PartitionWork[] = [];
  for (const partition of partitions) {
    const snapshot = catalog?.snapshot(appId, partition.dt);
    const files = await parquetFiles(partition.dir);
    if (files.length === 0) continue;
    if (files.length < 2 && !rebuild && builtFrom(old?.days[partition.dt], files)) continue;
    work.push({
      partition,
      files,
      snapshot,
      target: files.length < 2 ? (files[0] ?? '') : lakeFileName('compacted'),
    });
  }
  if (work.length === 0) return [];
  const done = work.map((w) => w.partition);
  const staging = await stagingPath(dataDir, '');
  await ensureDir(staging);
  const journalPath = join(dataDir, JOURNAL);
  let journaled = false;
  try {
    for (const w of work) {
      if (w.files.length < 2) continue;
      w.merged = join(staging, `${randomUUID()}.parquet`);
      const list = `[${w.files.map((f) => sqlString(join(w.partition.dir, f))).join(', ')}]`;
      await connection.run(
        `COPY (SELECT ${COLUMNS} FROM read_parquet(${list}, hive_partitioning = false)) TO ${sqlString(w.merged)} (FORMAT parquet)`,
      );
      await syncFile(w.merged);
    }
    await step('merged', done);
    const built = await buildRollups(connection, join(staging, 'rollups'), {
      appId,
      days: [...work]
        .sort((a, b) => a.partition.dt.localeCompare(b.partition.dt))
        .map((w) => ({ dt: w.partition.dt, files: w.files.map((f) => join(w.partition.dir, f)) })),
      ...(old && !rebuild
        ? { clientsFile: join(rollupDir(dataDir, ROLLUP_CLIENTS, appId), old.clients) }
        : {}),
    });
    await step('rolled-up', done);
    const renames: { from: string; to: string }[] = [];
    const deletes: string[] = [];
    const days: Record<string, RollupDayEntry> = rebuild ? {} : { ...old?.days };
    if (old) {
      deletes.push(join(rollupDir(dataDir, ROLLUP_CLIENTS, appId), old.clients));
      const replaced = rebuild ? Object.keys(old.days) : work.map((w) => w.partition.dt);
      for (const dt of replaced) deletes.push(...entryPaths(dataDir, appId, dt, old.days[dt]));
    }
    const clients = `clients-${randomUUID()}.parquet`;
    renames.push({ from: built.clientsFile, to: join(rollupDir(dataDir, ROLLUP_CLIENTS, appId), clients) });
    for (const w of work) {
      const { dt, dir } = w.partition;
      if (w.merged) {
        renames.push({ from: w.merged, to: join(dir, w.target) });
        deletes.push(...w.files.map((f) => join(dir, f)));
      }
      const day = built.days.find((d) => d.dt === dt);
      const files: Record<string, string> = {};
      for (const table of ROLLUP_TABLES) {
        const stagedFile = day?.files[table.name];
        if (!stagedFile) continue;
        const name = `${table.folder}-${randomUUID()}.parquet`;
        renames.push({ from: stagedFile, to: join(rollupDir(dataDir, table, appId, dt), name) });
        files[table.name] = name;
      }
      days[dt] = {
        sources: [w.target],
        records: day?.records ?? 0,
        latestArrival: day?.latestArrival ?? 0,
        version: randomUUID(),
        files,
      };
    }
    const manifest: RollupManifest = { appId, clients, days };
    const journal: Journal = {
      staging,
      renames,
      deletes,
      manifest: { path: manifestPath(dataDir, appId), content: JSON.stringify(manifest) },
    };
    await writeDurably(journalPath, JSON.stringify(journal));
    journaled = true;
    await step('journaled', done);
    await lock.write(async () => {
      await applyMoves(journal, journalPath);
      await step('committed', done);
      await applyDeletes(journal);
      await step('sources-removed', done);
      if (catalog) {
        const current: DaySnapshot[] = [];
        for (const w of work) {
          const files = await parquetFiles(w.partition.dir);
          if (w.snapshot && builtFrom(manifest.days[w.partition.dt], files)) current.push(w.snapshot);
        }
        catalog.committed(manifest, current);
      }
    });
    await unlink(journalPath);
    await syncDir(dataDir);
    await rm(staging, { recursive: true, force: true });
    await step('done', done);
    return done;
  } finally {
    // Once journaled, the staged files belong to the commit: recovery finishes it.
    if (!journaled) await rm(staging, { recursive: true, force: true });
  }
}

/**
 * Merges the files of these partitions (where they have several) and brings their rollups up to
 * date, one commit per app. Returns the partitions changed.
 */
export async function compactPartitions(
  partitions: readonly Partition[],
  options: CompactionOptions,
): Promise<Partition[]> {
  await recoverLake(options.dataDir, options.lock);
  const byApp = new Map<string, Partition[]>();
  for (const partition of partitions)
    byApp.set(partition.appId, [...(byApp.get(partition.appId) ?? []), partition]);
  const changed: Partition[] = [];
  for (const [appId, appPartitions] of byApp)
    changed.push(...(await compactApp(appId, appPartitions, options)));
  return changed;
}

/** Compacts every partition of the lake. Returns the partitions changed. */
export async function compactLake(options: CompactionOptions): Promise<Partition[]> {
  return compactPartitions(await lakePartitions(options.dataDir), options);
}
