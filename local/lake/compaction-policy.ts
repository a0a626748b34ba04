import type { LakeFile } from './lake-files';

/** Files smaller than this are merged as if they had this size: many tiny files merge at once. @default 1 MiB */
export const SMALL_FILE_BYTES = 1024 * 1024;

/**
 * Which files of a partition to merge now: the smallest files, as long as each next one is no
 * bigger than all the smaller ones together (sizes below `smallBytes` count as `smallBytes`).
 * Nothing when that is fewer than two files.
 *
 * What this gives:
 * - after merging, each file is bigger than all the smaller ones together, so a partition
 *   holds at most about log2(its bytes / smallBytes) + 1 files;
 * - a file is rewritten only into a file at least twice its size, so each event is rewritten
 *   about log2 times in its partition's life, never once per new small file: a big day that gets
 *   one late event keeps its big file and gains a small one, which merges with later small ones.
 */
export function chooseMerge(files: readonly LakeFile[], smallBytes = SMALL_FILE_BYTES): LakeFile[] {
  const bySize = [...files].sort((a, b) => a.bytes - b.bytes || a.name.localeCompare(b.name));
  const size = (f: LakeFile) => Math.max(f.bytes, smallBytes);
  const chosen: LakeFile[] = [];
  let total = 0;
  for (const file of bySize) {
    if (chosen.length > 0 && size(file) > total) break;
    chosen.push(file);
    total += size(file);
  }
  return chosen.length >= 2 ? chosen : [];
}
