import { createReadStream } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import type { ImportSource } from '../../lambdas/import/import-source';
import { CliError } from '../cli/cli-error';

/** A file on this machine as an {@link ImportSource}. */
export function localFileSource(path: string, size: number, lastModified: number): ImportSource {
  return {
    name: path,
    size,
    lastModified,
    stream: () => createReadStream(path, { highWaterMark: 1024 * 1024 }),
    read: async (start, end) => {
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(Math.max(0, end - start));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}

async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries) {
    // Hidden entries (.DS_Store, .staging, a lake's .lock) are not export files.
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/**
 * The files the command line names: files as given, folders with every file below them
 * (hidden ones left out), and glob patterns (`exports/2019/**\/*.gz`, quoted so the shell
 * leaves them) with the files they match; each file once, in path order, which for Firehose's
 * `YYYY/MM/DD/HH/` folders is time order. A path that names nothing is a {@link CliError}.
 */
export async function importSources(paths: readonly string[]): Promise<ImportSource[]> {
  const found: string[] = [];
  for (const path of paths) {
    if (isDynamicPattern(path)) {
      const matches = await glob(path, { absolute: true, onlyFiles: true });
      if (matches.length === 0) throw new CliError(`No file matches ${path}`);
      found.push(...matches);
      continue;
    }
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new CliError(`${path} does not exist`);
    if (info.isDirectory()) {
      const files = await filesBelow(resolve(path));
      if (files.length === 0) throw new CliError(`The folder ${path} holds no files to import`);
      found.push(...files);
    } else {
      found.push(resolve(path));
    }
  }
  const byRealPath = new Map<string, string>();
  for (const path of found) {
    const real = await realpath(path);
    if (!byRealPath.has(real)) byRealPath.set(real, path);
  }
  const sources: ImportSource[] = [];
  for (const path of [...byRealPath.values()].sort()) {
    const info = await stat(path);
    sources.push(localFileSource(path, info.size, Math.floor(info.mtimeMs)));
  }
  return sources;
}
