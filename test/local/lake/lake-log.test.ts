import { appendFile, readFile } from 'node:fs/promises';
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
    expect(await log.append('a\n')).toBe(1);
    expect(await log.append('b\nc\n')).toBe(1);
    expect(log.openBytes).toBe(6);
    expect(await log.rotate()).toBe(2);
    expect(await log.append('d\n')).toBe(2);
    await log.close();
    expect(await filesBelow(join(dir.path, LOG_DIR))).toEqual(['000000000001.ndjson', '000000000002.ndjson']);
    expect(await readFile(log.path(1), 'utf8')).toBe('a\nb\nc\n');
    expect(await log.segmentsBelow(2)).toEqual([log.path(1)]);
  });

  it('rotates without waiting for writes that start after it, however many follow', async () => {
    const { log } = await LakeLog.open(dir.path);
    const first = log.append('a\n');
    const rotated = log.rotate();
    const later = log.append('b\n');
    expect(await rotated).toBe(2);
    expect(await first).toBe(1);
    expect(await later).toBe(2);
    await log.close();
  });

  it('gives back what an earlier run left, without the unfinished last write, and numbers on after it', async () => {
    const first = await LakeLog.open(dir.path);
    await first.log.append('{"a":1}\n{"a":2}\n');
    await first.log.close();
    await appendFile(first.log.path(1), '{"a":3');

    const { log, segments } = await LakeLog.open(dir.path);
    expect(segments).toEqual([{ number: 1, path: first.log.path(1), bytes: 16 }]);
    expect(await readFile(first.log.path(1), 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    expect(await log.append('{"a":4}\n')).toBe(2);
    await log.close();
  });
});
