import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError } from '../../../local/cli/cli-error';
import { importSources } from '../../../local/import/local-files';
import { tempDir } from '../support/lake-fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  dir = await tempDir('import-paths');
  for (const path of [
    'a/2019/03/05/10/x.gz',
    'a/2019/03/05/09/y.gz',
    'a/.DS_Store',
    'b/part-0.json',
    'c.ndjson',
  ]) {
    await mkdir(join(dir.path, path, '..'), { recursive: true });
    await writeFile(join(dir.path, path), path);
  }
  await symlink(join(dir.path, 'c.ndjson'), join(dir.path, 'link.ndjson'));
});

afterAll(() => dir.remove());

const names = async (paths: string[]) =>
  (await importSources(paths)).map((s) => s.name.slice(dir.path.length + 1));

describe('the paths of npm run import', () => {
  it('takes files, every file below a folder (hidden ones left out) and glob patterns, each file once, in path order', async () => {
    expect(
      await names([join(dir.path, 'c.ndjson'), join(dir.path, 'a'), join(dir.path, 'b', '*.json')]),
    ).toEqual(['a/2019/03/05/09/y.gz', 'a/2019/03/05/10/x.gz', 'b/part-0.json', 'c.ndjson']);
    expect(await names([join(dir.path, 'c.ndjson'), join(dir.path, 'link.ndjson')])).toEqual(['c.ndjson']);
    expect(await names([join(dir.path, '**', '*.gz')])).toEqual([
      'a/2019/03/05/09/y.gz',
      'a/2019/03/05/10/x.gz',
    ]);
  });

  it('gives each file its size and last change', async () => {
    const [source] = await importSources([join(dir.path, 'c.ndjson')]);
    expect(source?.size).toBe('c.ndjson'.length);
    expect(source?.lastModified).toBeGreaterThan(0);
    expect(Buffer.from((await source?.read(2, 6)) ?? []).toString()).toBe('ndjs');
  });

  it.each([
    ['a path that does not exist', 'missing.gz', /missing\.gz does not exist$/],
    ['a pattern that matches nothing', '*.parquet', /^No file matches .*\*\.parquet$/],
  ])('stops with one line for %s', async (_name, path, message) => {
    const error = await importSources([join(dir.path, path)]).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(message);
  });
});
