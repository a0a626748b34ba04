import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../cli/cli-error';

const LOCK_FILE = '.lock';

/** Held by the one process that may compact the lake (a server, `compact`, `sample-data`). */
export interface DataDirLock {
  release(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holder(path: string): Promise<{ pid: number; command: string } | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || !('pid' in parsed)) return undefined;
    const { pid } = parsed;
    const command = 'command' in parsed ? String(parsed.command) : 'another process';
    return typeof pid === 'number' && Number.isInteger(pid) ? { pid, command } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data dir's lock file (`.lock`, created exclusively, holding pid and command). Two
 * processes compacting the same lake could each merge the same files and duplicate rows, so a
 * second one stops with a {@link CliError}. A lock left by a process that no longer runs is taken over.
 */
export async function lockDataDir(dataDir: string, command: string): Promise<DataDirLock> {
  const path = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(path, JSON.stringify({ pid: process.pid, command }), { flag: 'wx' });
      return { release: () => rm(path, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const current = await holder(path);
    if (current && isRunning(current.pid)) {
      throw new CliError(
        `The data dir ${dataDir} is in use by ${current.command} (pid ${current.pid}); stop it first or choose another --data-dir`,
      );
    }
    await rm(path, { force: true });
  }
  throw new CliError(
    `The data dir ${dataDir} is being locked by other processes at the same time; try again`,
  );
}
