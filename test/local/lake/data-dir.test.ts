import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CliError } from '../../../local/cli/cli-error';
import { prepareDataDir } from '../../../local/lake/data-dir';
import { lockDataDir } from '../../../local/lake/data-dir-lock';
import { Lake } from '../../../local/lake/lake';
import { filesBelow, tempDir } from '../support/lake-fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeEach(async () => {
  dir = await tempDir('data-dir');
});

afterEach(async () => {
  await dir.remove();
});

describe('the data dir', () => {
  it('is created with its parents when missing, and returned as an absolute path', async () => {
    const path = join(dir.path, 'a', 'b', 'lake');
    expect(await prepareDataDir(path)).toBe(path);
    expect(await filesBelow(path)).toEqual([]);
  });

  it('is refused with a one-line reason when it is a file', async () => {
    const file = join(dir.path, 'lake');
    await writeFile(file, 'I am a file');
    await expect(prepareDataDir(file)).rejects.toThrow(
      new CliError(`The data dir ${file} is a file, not a folder; choose a folder with --data-dir`),
    );
  });

  it('is refused with a one-line reason when a part of its path is a file', async () => {
    await writeFile(join(dir.path, 'file'), '');
    const path = join(dir.path, 'file', 'lake');
    await expect(prepareDataDir(path)).rejects.toThrow(
      new CliError(`The data dir ${path} cannot be created: a part of the path is a file, not a folder`),
    );
  });

  it('can be locked by one process only, and a lock left by a dead process is taken over', async () => {
    const lock = await lockDataDir(dir.path, 'a local server (port 3000)');
    await expect(lockDataDir(dir.path, 'npm run compact')).rejects.toThrow(
      new CliError(
        `The data dir ${dir.path} is in use by a local server (port 3000) (pid ${process.pid}); stop it first or choose another --data-dir`,
      ),
    );
    await lock.release();

    await writeFile(
      join(dir.path, '.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, command: 'a crashed server' }),
    );
    const taken = await lockDataDir(dir.path, 'npm run compact');
    expect(JSON.parse(await readFile(join(dir.path, '.lock'), 'utf8'))).toEqual({
      pid: process.pid,
      command: 'npm run compact',
    });
    await taken.release();
    expect(await filesBelow(dir.path)).toEqual([]);
  });

  it('is opened without the staging files a stopped process left behind', async () => {
    await mkdir(join(dir.path, '.staging', 'half-written'), { recursive: true });
    await writeFile(join(dir.path, '.staging', 'half-written', 'data_0.parquet'), 'partial');
    const instance = await DuckDBInstance.create(':memory:');
    const lake = await Lake.open({ dataDir: dir.path, command: 'test', instance });
    expect(await filesBelow(dir.path)).toEqual(['.lock']);
    await lake.close();
    instance.closeSync();
    expect(await filesBelow(dir.path)).toEqual([]);
  });
});
