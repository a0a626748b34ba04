import { appendFile, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeLog, LOG_DIR } from '../../../local/lake/lake-log';
import { filesBelow, tempDir } from '../support/lake-fixtures';

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeEach(async () => {
  dir = await tempDir('lake-log');
});

afterEach(async () => {
  await dir.remove();
});

describe('the lake log', () => {
  it('appends whole lines to one segment until rotated, then to the next', async () => {
    const { log, segments } = await LakeLog.open(dir.path);
    expect(segments).toEqual([]);
    expect(log.append('a\n')).toBe(1);
    expect(log.append('b\nc\n')).toBe(1);
    expect(log.openBytes).toBe(6);
    expect(log.rotate()).toBe(2);
    expect(log.append('d\n')).toBe(2);
    log.close();
    expect(await filesBelow(join(dir.path, LOG_DIR))).toEqual(['000000000001.ndjson', '000000000002.ndjson']);
    expect(await readFile(log.path(1), 'utf8')).toBe('a\nb\nc\n');
    expect(await log.segmentsBelow(2)).toEqual([log.path(1)]);
  });

  it('writes an append to disk before it returns', async () => {
    const { log } = await LakeLog.open(dir.path);
    log.append('a\n');
    expect(await readFile(log.path(1), 'utf8')).toBe('a\n');
    expect(await filesBelow(join(dir.path, LOG_DIR))).toEqual(['000000000001.ndjson']);
    log.close();
  });

  it('closes a segment that an append failed on and opens a new one for the next append', async () => {
    const { log } = await LakeLog.open(dir.path);
    log.append('a\n');
    log.rotate();
    await rename(join(dir.path, LOG_DIR), join(dir.path, 'away'));
    expect(() => log.append('b\n')).toThrow(/ENOENT/);
    await rename(join(dir.path, 'away'), join(dir.path, LOG_DIR));
    expect(log.append('c\n')).toBe(3);
    log.close();
    expect(await filesBelow(join(dir.path, LOG_DIR))).toEqual(['000000000001.ndjson', '000000000003.ndjson']);
  });

  it('gives back what an earlier run left, without the unfinished last write, and numbers on after it', async () => {
    const first = await LakeLog.open(dir.path);
    first.log.append('{"a":1}\n{"a":2}\n');
    first.log.close();
    await appendFile(first.log.path(1), '{"a":3');

    const { log, segments } = await LakeLog.open(dir.path);
    expect(segments).toEqual([{ number: 1, path: first.log.path(1), bytes: 16 }]);
    expect(await readFile(first.log.path(1), 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(log.append('{"a":4}\n')).toBe(2);
    log.close();
  });
});
