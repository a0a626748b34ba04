import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from '../cli/cli-error';

const reasons: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'it is on a read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  ENOSPC: 'the disk is full',
};

const reason = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return reasons[code] ?? (err as Error).message;
};

/**
 * Makes sure the data dir is a folder this process can write (creating it when missing) and
 * returns its absolute path. Anything else is a {@link CliError} saying what is wrong with it.
 */
export async function prepareDataDir(dataDir: string): Promise<string> {
  const path = resolve(dataDir);
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isDirectory()) {
    throw new CliError(`The data dir ${path} is a file, not a folder; choose a folder with --data-dir`);
  }
  try {
    await mkdir(path, { recursive: true });
  } catch (err) {
    throw new CliError(`The data dir ${path} cannot be created: ${reason(err)}`);
  }
  const probe = join(path, `.write-test-${process.pid}`);
  try {
    await writeFile(probe, '');
    await rm(probe);
  } catch (err) {
    throw new CliError(`The data dir ${path} is not writable: ${reason(err)}`);
  }
  return path;
}
