import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { orIfMissing } from '../../../local/lake/lake-files';
import { tempDir } from '../support/lake-fixtures';

describe('orIfMissing', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir('lake-files');
  });
  afterEach(() => dir.remove());

  it('gives the value when the path exists', async () => {
    await writeFile(join(dir.path, 'a.txt'), 'here');
    await expect(orIfMissing(readFile(join(dir.path, 'a.txt'), 'utf8'), undefined)).resolves.toBe('here');
  });

  it('gives the fallback when the path does not exist (a file a compaction just deleted)', async () => {
    await expect(orIfMissing(readFile(join(dir.path, 'gone.parquet')), 'missing')).resolves.toBe('missing');
    await expect(orIfMissing(readdir(join(dir.path, 'no-such-dir')), [])).resolves.toEqual([]);
  });

  it('still fails for any other error', async () => {
    await mkdir(join(dir.path, 'a-folder'));
    await expect(orIfMissing(readFile(join(dir.path, 'a-folder')), undefined)).rejects.toMatchObject({
      code: 'EISDIR',
    });
  });
});
