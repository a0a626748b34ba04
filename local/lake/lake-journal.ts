import { randomUUID } from 'node:crypto';
import { readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ensureDir, orIfMissing, syncDir, syncFile } from './lake-files';

/**
 * A journal makes several file changes of the lake one atomic step that survives a crash: a
 * conversion (staged Parquet files move into their partitions, the log segments they came
 * from are deleted), a compaction (the merged file moves in, its sources are deleted), an
 * import (sample data), and whatever a compaction carries along (see `PartitionDerivation`).
 *
 * 1. The caller writes every new file under `.staging/` and syncs it.
 * 2. {@link LakeTransaction.begin} syncs the staging folders, then writes the journal
 *    `.journal/<id>.json` naming the moves and deletions and syncs it: the commit point.
 * 3. {@link LakeTransaction.moveFiles} renames the staged files into place.
 * 4. {@link LakeTransaction.finish} deletes what the journal names, then the journal.
 *
 * Every step is idempotent, so {@link recoverJournals} (on open, before anything reads the
 * lake) rolls every journal it finds forward: a move whose source is gone was done, a file to
 * delete that is gone was deleted. A crash before step 2 leaves only staging files, which
 * opening the lake removes. Paths in the journal are relative to the data dir.
 */

export const JOURNAL_DIR = '.journal';

/** A staged file and where it goes, both absolute paths inside the data dir. */
export interface FileMove {
  readonly from: string;
  readonly to: string;
}

export interface JournalEntry {
  readonly moves: readonly FileMove[];
  /** Absolute paths inside the data dir to delete once the moves are done. */
  readonly deletes: readonly string[];
}

/** The durable steps of a transaction, after which tests act out a crash. */
export type JournalStep = 'journaled' | 'moved' | 'deleted' | 'done';

type OnStep = (step: JournalStep) => void | Promise<void>;

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

function inside(dataDir: string, path: string): string {
  const rel = relative(dataDir, path);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new Error(`The journal path ${path} is not inside the data dir ${dataDir}`);
  }
  return rel;
}

/** A journal file's text as an entry with absolute paths; anything else is an error naming the file. */
function parseJournal(text: string, path: string, dataDir: string): JournalEntry {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`The lake journal ${path} is not JSON: ${(err as Error).message}`);
  }
  const { moves, deletes } = (typeof value === 'object' && value !== null ? value : {}) as Record<
    string,
    unknown
  >;
  const isMove = (m: unknown): m is { from: string; to: string } =>
    typeof m === 'object' && m !== null && isText((m as FileMove).from) && isText((m as FileMove).to);
  if (!Array.isArray(moves) || !moves.every(isMove) || !Array.isArray(deletes) || !deletes.every(isText)) {
    throw new Error(`The lake journal ${path} does not list moves (from, to) and files to delete`);
  }
  const abs = (rel: string) => {
    const full = resolve(dataDir, rel);
    inside(dataDir, full);
    return full;
  };
  return {
    moves: moves.map((m) => ({ from: abs(m.from), to: abs(m.to) })),
    deletes: deletes.map(abs),
  };
}

async function syncDirs(paths: Iterable<string>): Promise<void> {
  for (const dir of new Set([...paths].map((p) => dirname(p)))) await syncDir(dir);
}

export class LakeTransaction {
  private constructor(
    private readonly journal: string,
    readonly entry: JournalEntry,
    private readonly onStep: OnStep,
  ) {}

  /**
   * Commits the entry: makes the staged files' folder entries durable and writes the journal.
   * From here on the changes happen, now or on the next open. Nothing has moved yet.
   */
  static async begin(dataDir: string, entry: JournalEntry, onStep: OnStep = () => undefined) {
    await syncDirs(entry.moves.map((m) => m.from));
    const dir = join(dataDir, JOURNAL_DIR);
    await ensureDir(dir);
    const journal = join(dir, `${Date.now()}-${randomUUID()}.json`);
    const draft = `${journal}.tmp`;
    const text = JSON.stringify({
      moves: entry.moves.map((m) => ({ from: inside(dataDir, m.from), to: inside(dataDir, m.to) })),
      deletes: entry.deletes.map((d) => inside(dataDir, d)),
    });
    await writeFile(draft, text);
    await syncFile(draft);
    await rename(draft, journal);
    await syncDir(dir);
    await onStep('journaled');
    return new LakeTransaction(journal, entry, onStep);
  }

  /** Renames the staged files into place (creating their folders) and makes that durable. */
  async moveFiles(): Promise<void> {
    for (const { from, to } of this.entry.moves) {
      await ensureDir(dirname(to));
      await orIfMissing(rename(from, to), undefined);
    }
    await syncDirs(this.entry.moves.map((m) => m.to));
    await this.onStep('moved');
  }

  /** Deletes what the journal names, then the journal: the transaction is over. */
  async finish(): Promise<void> {
    for (const path of this.entry.deletes) await rm(path, { force: true });
    await syncDirs(this.entry.deletes);
    await this.onStep('deleted');
    await unlink(this.journal);
    await syncDir(dirname(this.journal));
    await this.onStep('done');
  }

  /** Rolls a journal left by a stopped process forward. */
  static async recover(dataDir: string, journal: string): Promise<void> {
    const entry = parseJournal(await readFile(journal, 'utf8'), journal, dataDir);
    const transaction = new LakeTransaction(journal, entry, () => undefined);
    await transaction.moveFiles();
    await transaction.finish();
  }
}

/**
 * Rolls forward every transaction a stopped process left (see {@link LakeTransaction}), in the
 * order they were written, and removes unfinished journal drafts. Returns how many it finished.
 */
export async function recoverJournals(dataDir: string): Promise<number> {
  const dir = join(dataDir, JOURNAL_DIR);
  const names = (await orIfMissing(readdir(dir), [])).sort();
  let recovered = 0;
  for (const name of names) {
    if (name.endsWith('.tmp')) {
      await rm(join(dir, name), { force: true });
    } else if (name.endsWith('.json')) {
      await LakeTransaction.recover(dataDir, join(dir, name));
      recovered += 1;
    }
  }
  return recovered;
}
