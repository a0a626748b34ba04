import { readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { EVENT_COLUMNS } from '../../lambdas/core/event-record';
import { sqlString } from '../../lambdas/core/sql-literal';
import {
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
 * Compaction merges a partition's small Parquet files into one, without ever losing or
 * duplicating a row, even if the process dies at any point:
 *
 * 1. merge the sources into a new file in the staging folder and sync it (invisible to readers);
 * 2. write a journal `.compaction.json` naming the merged file and its sources, and sync it;
 * 3. rename the merged file into the partition: the commit point;
 * 4. delete the sources, then the journal.
 *
 * Recovery (on every start, and before compacting a partition) reads a leftover journal: if the
 * merged file is in the partition, the commit happened and the remaining sources are deleted;
 * if not, the journal is dropped and the sources stay. Until then a crash between steps 3 and 4
 * leaves rows twice on disk; only the lock holder's next start reads them, and recovery runs
 * before it serves. In-process, steps 3 and 4 hold the lake lock alone, so no query sees both
 * the merged file and its sources, or lists a source that is then deleted.
 */

const JOURNAL = '.compaction.json';

export type CompactionStep = 'merged' | 'journaled' | 'committed' | 'sources-removed' | 'done';

export interface CompactionOptions {
  readonly connection: DuckDBConnection;
  readonly dataDir: string;
  /** Held alone during the commit (steps 3 and 4). @default a lock of its own */
  readonly lock?: ReadWriteLock;
  /** Called after each durable step; tests stop there to act out a crash. @default nothing */
  readonly onStep?: (step: CompactionStep, partition: Partition) => void | Promise<void>;
}

interface Journal {
  readonly merged: string;
  readonly target: string;
  readonly sources: readonly string[];
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
  const { merged, target, sources } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  if (!isText(merged) || !isText(target) || !Array.isArray(sources) || !sources.every(isText)) {
    throw new Error(`The compaction journal ${path} does not name a merged file, a target and its sources`);
  }
  return { merged, target, sources };
}

async function removeIfPresent(path: string): Promise<void> {
  await rm(path, { force: true });
}

/**
 * Finishes or undoes a compaction that was interrupted in this partition folder. The files are
 * changed under the lake lock, alone, so queries of this process never see them change.
 */
export async function recoverPartition(dir: string, lock = new ReadWriteLock()): Promise<void> {
  await removeIfPresent(join(dir, `${JOURNAL}.tmp`));
  const text = await orIfMissing(readFile(join(dir, JOURNAL), 'utf8'), undefined);
  if (text === undefined) return;
  const journal = parseJournal(text, join(dir, JOURNAL));
  await lock.write(async () => {
    if ((await parquetFiles(dir)).includes(journal.target)) {
      for (const source of journal.sources) await removeIfPresent(join(dir, source));
    } else {
      await removeIfPresent(journal.merged);
    }
    await syncDir(dir);
    await unlink(join(dir, JOURNAL));
    await syncDir(dir);
  });
}

/** Recovers every partition of the lake; run before serving. */
export async function recoverLake(dataDir: string): Promise<void> {
  for (const partition of await lakePartitions(dataDir)) await recoverPartition(partition.dir);
}

async function writeJournal(dir: string, journal: Journal): Promise<void> {
  const draft = join(dir, `${JOURNAL}.tmp`);
  await writeFile(draft, JSON.stringify(journal));
  await syncFile(draft);
  await rename(draft, join(dir, JOURNAL));
  await syncDir(dir);
}

/** Merges the partition's Parquet files into one when it has two or more. Returns how many were merged. */
export async function compactPartition(partition: Partition, options: CompactionOptions): Promise<number> {
  const step = async (name: CompactionStep) => options.onStep?.(name, partition);
  const dir = partition.dir;
  const lock = options.lock ?? new ReadWriteLock();
  await recoverPartition(dir, lock);
  const sources = await parquetFiles(dir);
  if (sources.length < 2) return 0;
  const merged = await stagingPath(options.dataDir, '.parquet.tmp');
  const list = `[${sources.map((s) => sqlString(join(dir, s))).join(', ')}]`;
  await options.connection.run(
    `COPY (SELECT ${COLUMNS} FROM read_parquet(${list}, hive_partitioning = false)) TO ${sqlString(merged)} (FORMAT parquet)`,
  );
  await syncFile(merged);
  await step('merged');
  const target = lakeFileName('compacted');
  await writeJournal(dir, { merged, target, sources });
  await step('journaled');
  await lock.write(async () => {
    await rename(merged, join(dir, target));
    await syncDir(dir);
    await step('committed');
    for (const source of sources) await unlink(join(dir, source));
    await syncDir(dir);
    await step('sources-removed');
  });
  await unlink(join(dir, JOURNAL));
  await syncDir(dir);
  await step('done');
  return sources.length;
}

/** Compacts every partition of the lake that has two or more files. Returns the partitions compacted. */
export async function compactLake(options: CompactionOptions): Promise<Partition[]> {
  const compacted: Partition[] = [];
  for (const partition of await lakePartitions(options.dataDir)) {
    if ((await compactPartition(partition, options)) > 0) compacted.push(partition);
  }
  return compacted;
}
