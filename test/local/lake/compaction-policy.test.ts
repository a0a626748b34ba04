import { chooseMerge, chooseSettle, MERGE_FANOUT } from '../../../local/lake/compaction-policy';
import type { LakeFile } from '../../../local/lake/lake-files';

const MiB = 1024 * 1024;
const file = (name: string, bytes: number): LakeFile => ({ name, bytes, seq: 1 });
const names = (files: readonly LakeFile[]) => files.map((f) => f.name).sort();

/** Adds one new file per step and merges as the policy says, as the maintenance worker does. */
function simulate(steps: number, newBytes: number) {
  let files: LakeFile[] = [];
  let rewritten = 0;
  let maxFiles = 0;
  for (let i = 0; i < steps; i++) {
    files.push(file(`new-${i}`, newBytes));
    maxFiles = Math.max(maxFiles, files.length);
    for (let merge = chooseMerge(files); merge.length > 0; merge = chooseMerge(files)) {
      const bytes = merge.reduce((sum, f) => sum + f.bytes, 0);
      rewritten += bytes;
      files = [...files.filter((f) => !merge.includes(f)), file(`merged-${i}-${files.length}`, bytes)];
    }
  }
  return { files, rewritten, maxFiles };
}

describe('the compaction policy', () => {
  it('merges nothing in a partition of a few files', () => {
    expect(chooseMerge([file('a', 5 * MiB)])).toEqual([]);
    expect(chooseMerge([file('a', 5_000), file('b', 6_000), file('c', 7_000)])).toEqual([]);
  });

  it('merges the small files once there are enough of them, however many', () => {
    const small = Array.from({ length: 7 }, (_, i) => file(`s${i}`, 10_000 + i));
    expect(names(chooseMerge(small))).toEqual(names(small));
  });

  it('leaves a big file alone when small ones arrive: no rewrite of the whole day for late events', () => {
    const day = file('day', 70 * MiB);
    const late = Array.from({ length: MERGE_FANOUT }, (_, i) => file(`late-${i}`, 3_000));
    expect(chooseMerge([day, ...late.slice(1)])).toEqual([]);
    expect(names(chooseMerge([day, ...late]))).toEqual(names(late));
  });

  it('merges the files of a full tier with those below it, not the bigger ones', () => {
    const tier1 = Array.from({ length: MERGE_FANOUT }, (_, i) => file(`t1-${i}`, 5 * MiB));
    const files = [...tier1, file('small', 200_000), file('big', 100 * MiB)];
    expect(names(chooseMerge(files))).toEqual(names([...tier1, file('small', 0)]));
  });

  it('keeps a partition under steady writes at a few files, rewriting each byte about once per tier', () => {
    const steps = 1000;
    const { files, rewritten, maxFiles } = simulate(steps, 2 * MiB);
    const tiers = Math.ceil(Math.log(steps * 2) / Math.log(MERGE_FANOUT));
    expect(maxFiles).toBeLessThanOrEqual(MERGE_FANOUT * tiers);
    expect(files.length).toBeLessThanOrEqual((MERGE_FANOUT - 1) * tiers);
    expect(rewritten / (steps * 2 * MiB)).toBeLessThanOrEqual(tiers);
    // Merging the whole partition on every new file would rewrite about steps / 2 times as much.
    expect(rewritten).toBeLessThan((steps * 2 * MiB * steps) / 2 / 50);
  });
});

describe('settling a quiet partition', () => {
  it('merges its small files, however few, and nothing bigger', () => {
    const files = [file('day', 70 * MiB), file('late-1', 3_000), file('late-2', 9_000), file('mid', 5 * MiB)];
    expect(names(chooseSettle(files))).toEqual(['late-1', 'late-2']);
    expect(chooseSettle([file('day', 70 * MiB), file('late-1', 3_000)])).toEqual([]);
  });
});
