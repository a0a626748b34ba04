import type { LakeFile } from './lake-files';

/** Files smaller than this are all in the lowest tier. @default 1 MiB */
export const SMALL_FILE_BYTES = 1024 * 1024;
/** How many files of one tier are merged into one file of the next. @default 4 */
export const MERGE_FANOUT = 4;

/**
 * Which files of a partition to merge now (size-tiered): a file's tier is
 * floor(log_fanout(bytes / smallBytes)), files below `smallBytes` being tier 0. Once a tier
 * holds `fanout` files, they are merged (with the fewer files of the tiers below) into one file,
 * which lands in the next tier. Nothing when no tier is full.
 *
 * What this gives:
 * - a partition holds at most (fanout - 1) files per tier: about (fanout - 1) x
 *   log_fanout(its bytes / smallBytes) files;
 * - an event is rewritten about once per tier, log_fanout times in its partition's life, never
 *   once per new small file: a big day that gets a few late events keeps its big file, and the
 *   small files merge among themselves.
 */
export function chooseMerge(
  files: readonly LakeFile[],
  smallBytes = SMALL_FILE_BYTES,
  fanout = MERGE_FANOUT,
): LakeFile[] {
  const tier = tierOf(smallBytes, fanout);
  const counts = new Map<number, number>();
  for (const file of files) counts.set(tier(file), (counts.get(tier(file)) ?? 0) + 1);
  const full = [...counts].filter(([, count]) => count >= fanout).map(([t]) => t);
  if (full.length === 0) return [];
  const lowest = Math.min(...full);
  return files.filter((f) => tier(f) <= lowest);
}

/**
 * The small files of a partition that went quiet, to merge now: its tier-0 files when there are
 * two or more (cheap: they are small), else none.
 */
export function chooseSettle(files: readonly LakeFile[], smallBytes = SMALL_FILE_BYTES): LakeFile[] {
  const small = files.filter((f) => tierOf(smallBytes, MERGE_FANOUT)(f) === 0);
  return small.length >= 2 ? small : [];
}

const tierOf = (smallBytes: number, fanout: number) => (f: LakeFile) =>
  f.bytes <= smallBytes ? 0 : Math.floor(Math.log(f.bytes / smallBytes) / Math.log(fanout));
