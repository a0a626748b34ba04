import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JOURNAL_DIR, LakeTransaction, recoverJournals } from '../../../local/lake/lake-journal';
import { filesBelow, tempDir } from '../support/lake-fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeEach(async () => {
  dir = await tempDir('lake-journal');
  await mkdir(join(dir.path, '.staging'));
  await mkdir(join(dir.path, 'old'));
  await writeFile(join(dir.path, '.staging', 'new-a'), 'a');
  await writeFile(join(dir.path, '.staging', 'new-b'), 'b');
  await writeFile(join(dir.path, 'old', 'source'), 'old');
});

afterEach(async () => {
  await dir.remove();
});

const entry = () => ({
  moves: [
    { from: join(dir.path, '.staging', 'new-a'), to: join(dir.path, 'p', 'a') },
    { from: join(dir.path, '.staging', 'new-b'), to: join(dir.path, 'q', 'b') },
  ],
  deletes: [join(dir.path, 'old', 'source')],
});
const DONE = ['p/a', 'q/b'];

describe('a lake journal', () => {
  it('moves, then deletes, then removes itself', async () => {
    const steps: string[] = [];
    const transaction = await LakeTransaction.begin(dir.path, entry(), (s) => {
      steps.push(s);
    });
    expect(await readdir(join(dir.path, JOURNAL_DIR))).toHaveLength(1);
    await transaction.moveFiles();
    expect(await filesBelow(join(dir.path, 'old'))).toEqual(['source']);
    await transaction.finish();
    expect(steps).toEqual(['journaled', 'moved', 'deleted', 'done']);
    expect(await filesBelow(dir.path)).toEqual(DONE);
  });

  it.each(['journaled', 'half moved', 'moved', 'deleted'])(
    'is rolled forward on recovery after a crash once %s',
    async (progress) => {
      const transaction = await LakeTransaction.begin(dir.path, entry());
      if (progress === 'half moved') {
        await mkdir(join(dir.path, 'p'));
        await rename(join(dir.path, '.staging', 'new-a'), join(dir.path, 'p', 'a'));
      }
      if (progress === 'moved' || progress === 'deleted') await transaction.moveFiles();
      if (progress === 'deleted') await rm(join(dir.path, 'old', 'source'));

      expect(await recoverJournals(dir.path)).toBe(1);
      expect(await filesBelow(dir.path)).toEqual(DONE);
      expect(await recoverJournals(dir.path)).toBe(0);
    },
  );

  it('removes an unfinished journal draft: that transaction never committed', async () => {
    await mkdir(join(dir.path, JOURNAL_DIR));
    await writeFile(join(dir.path, JOURNAL_DIR, '1-x.json.tmp'), '{"moves": [');
    expect(await recoverJournals(dir.path)).toBe(0);
    expect(await filesBelow(join(dir.path, JOURNAL_DIR))).toEqual([]);
  });

  it.each([
    ['not JSON', '{"moves": ', 'is not JSON'],
    ['without moves', '{"deletes": []}', 'does not list moves (from, to) and files to delete'],
    ['with a move lacking its target', '{"moves": [{"from": "a"}], "deletes": []}', 'does not list moves'],
    [
      'reaching outside the data dir',
      '{"moves": [], "deletes": ["../elsewhere"]}',
      'is not inside the data dir',
    ],
  ])('refuses a journal %s and changes nothing', async (_name, text, message) => {
    await mkdir(join(dir.path, JOURNAL_DIR));
    const path = join(dir.path, JOURNAL_DIR, '1-x.json');
    await writeFile(path, text);
    const before = await filesBelow(dir.path);
    await expect(recoverJournals(dir.path)).rejects.toThrow(message);
    expect(await filesBelow(dir.path)).toEqual(before);
  });
});
