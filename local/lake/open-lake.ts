import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { recoverLake } from './compact';
import { prepareDataDir } from './data-dir';
import { lockDataDir } from './data-dir-lock';
import { STAGING_DIR } from './lake-files';

export interface OpenLake {
  /** The lake folder, absolute. */
  readonly dataDir: string;
  /** Removes leftover staging files and releases the data dir's lock. */
  release(): Promise<void>;
}

/**
 * Opens a lake folder for a command that writes or compacts it (the server, `compact`,
 * `sample-data`): checks the folder, takes its lock, finishes an interrupted compaction and
 * removes the staging files a stopped process left, so the lake is whole before anything
 * reads it. Problems are CliErrors.
 */
export async function openLake(dataDir: string, command: string): Promise<OpenLake> {
  const path = await prepareDataDir(dataDir);
  const lock = await lockDataDir(path, command);
  const clearStaging = () => rm(join(path, STAGING_DIR), { recursive: true, force: true });
  try {
    // A journaled compaction moves its files in from the staging folder: finish it first.
    await recoverLake(path);
    await clearStaging();
  } catch (err) {
    await lock.release();
    throw err;
  }
  return {
    dataDir: path,
    release: async () => {
      await clearStaging();
      await lock.release();
    },
  };
}
