import { chooseMerge } from '../../../local/lake/compaction-policy';
import type { LakeFile } from '../../../local/lake/lake-files';

const MiB = 1024 * 1024;
const file = (name: string, bytes: number): LakeFile => ({ name, bytes, seq: 1 });
const names = (files: readonly LakeFile[]) => files.map((f) => f.name).sort();

/** Adds one new file per step and merges as the policy says, as the maintenance worker does. */
function simulate(steps: number, newBytes: number, start: LakeFile[] = []) {
  let files = [...start];
  let rewritten = 0;
  let maxFiles = 0;
  for (let i = 0; i < steps; i++) {
    files.push(file(`new-${i}`, newBytes));
    for (let merge = chooseMerge(files); merge.length > 0; merge = chooseMerge(files)) {
      const bytes = merge.reduce((sum, f) => sum + f.bytes, 0);
      rewritten += bytes;
      files = [...files.filter((f) => !merge.includes(f)), file(`merged-${i}-${files.length}`, bytes)];
    }
    maxFiles = Math.max(maxFiles, files.length);
  }
  return { files, rewritten, maxFiles };
}

describe('the compaction policy', () => {
  it('merges nothing in a partition of one file', () => {
    expect(chooseMerge([file('a', 5 * MiB)])).toEqual([]);
  });

  it('merges small files together, however many', () => {
    const small = Array.from({ length: 7 }, (_, i) => file(`s${i}`, 10_000 + i));
    expect(names(chooseMerge(small))).toEqual(names(small));
  });

  it('leaves a big file alone when a small one arrives: no rewrite of the whole day for one late event', () => {
    const day = file('day', 70 * MiB);
    expect(chooseMerge([day, file('late', 3_000)])).toEqual([]);
    expect(names(chooseMerge([day, file('late-1', 3_000), file('late-2', 4_000)]))).toEqual([
      'late-1',
      'late-2',
    ]);
  });

  it('merges files of similar size, not a much bigger one', () => {
    const files = [file('a', 2 * MiB), file('b', 2 * MiB), file('c', 3 * MiB), file('d', 40 * MiB)];
    expect(names(chooseMerge(files))).toEqual(['a', 'b', 'c']);
  });

  it('keeps a partition under steady writes at a few files, rewriting each byte about log2 times', () => {
    const steps = 1000;
    const { files, rewritten, maxFiles } = simulate(steps, 2 * MiB);
    const written = steps * 2 * MiB;
    expect(maxFiles).toBeLessThanOrEqual(Math.ceil(Math.log2(steps)) + 1);
    expect(files.length).toBeLessThanOrEqual(Math.ceil(Math.log2(steps)));
    expect(rewritten / written).toBeLessThanOrEqual(Math.log2(steps));
    // The old rule (merge everything on every new file) rewrites about steps / 2 times as much.
    expect(rewritten).toBeLessThan((written * steps) / 2 / 10);
  });
});
