import { closeSync, constants, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { open, readdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { logger } from '../../lambdas/core/logger';
import { ensureDir, orIfMissing, syncDirNow, syncFile } from './lake-files';

/**
 * The lake's write-ahead log: accepted events as NDJSON lines (`lakeLine`) appended to
 * segment files `log/<number>.ndjson`. An append is one `write` to a segment opened with
 * `O_DSYNC` (a write and an `fdatasync` where the platform lacks it), which returns once the
 * data is on disk as `fdatasync` would have it (POSIX synchronized I/O data integrity), plus one
 * folder sync with a new segment's first append. Appends run on the calling (main) thread: a
 * commit costs no round trip through libuv's pool, whose threads the local server leaves to
 * DuckDB at a lower priority (`local/server/thread-priority.ts`); the sink calls it once per
 * group of concurrent puts, so they share the sync (`lake-sink.ts`). A segment is closed by
 * {@link LakeLog.rotate} (the conversion to Parquet takes closed segments only) or after a
 * failed append (its state on disk is then unknown); the next append opens a new one.
 *
 * A segment's lines are whole: a crash can only cut the last write short, and
 * {@link LakeLog.open} drops such a cut-off tail (it was never acknowledged).
 */

export const LOG_DIR = 'log';
const SEGMENT = /^(\d{12})\.ndjson$/;

/** A segment left by an earlier run (whole lines only). */
export interface LogSegment {
  readonly number: number;
  readonly path: string;
  readonly bytes: number;
}

/** Cuts a segment file back to its last whole line; returns its length. */
async function cutToWholeLines(path: string): Promise<number> {
  const { size, whole } = await wholeLinesLength(path);
  if (whole < size) {
    await truncate(path, whole);
    await syncFile(path);
    logger.info('dropped the unfinished last write of a log segment (it was never acknowledged)', {
      segment: path,
      bytes: size - whole,
    });
  }
  return whole;
}

/** The length of a file up to and including its last newline (0 when it has none). */
async function wholeLinesLength(path: string): Promise<{ size: number; whole: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; end -= chunk.length) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) return { size, whole: start + newline + 1 };
    }
    return { size, whole: 0 };
  } finally {
    await handle.close();
  }
}

const segmentName = (n: number) => `${String(n).padStart(12, '0')}.ndjson`;

/** `O_DSYNC` where the platform has it (Linux, macOS); elsewhere each append ends with `fdatasync`. */
const DSYNC: number | undefined = constants.O_DSYNC;
/** A new segment: created (never reused), written only, each write durable on return where `DSYNC` is set. */
const SEGMENT_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (DSYNC ?? 0);

interface OpenSegment {
  readonly number: number;
  readonly fd: number;
  bytes: number;
  /** Its folder entry is durable (synced once, with its first append). */
  durable: boolean;
}

export class LakeLog {
  private segment: OpenSegment | undefined;
  private readonly failed = new Set<number>();

  private constructor(
    private readonly dir: string,
    private nextNumber: number,
  ) {}

  /**
   * Opens the log folder of a data dir: returns the log and the segments an earlier run left
   * (each cut back to its last whole line), oldest first. New segments are numbered after them.
   */
  static async open(dataDir: string): Promise<{ log: LakeLog; segments: LogSegment[] }> {
    const dir = join(dataDir, LOG_DIR);
    await ensureDir(dir);
    const segments: LogSegment[] = [];
    for (const name of (await readdir(dir)).sort()) {
      const match = SEGMENT.exec(name);
      if (!match?.[1]) continue;
      const path = join(dir, name);
      segments.push({ number: Number(match[1]), path, bytes: await cutToWholeLines(path) });
    }
    const last = segments.at(-1)?.number ?? 0;
    return { log: new LakeLog(dir, last + 1), segments };
  }

  /** The path of a segment. */
  path(number: number): string {
    return join(this.dir, segmentName(number));
  }

  /** Bytes in the open segment (0 when none is open). */
  get openBytes(): number {
    return this.segment?.bytes ?? 0;
  }

  /**
   * Appends whole lines (text that ends with a newline, or its UTF-8) to the open segment,
   * opening one when needed, and returns once they are on disk, with the segment's number. It
   * blocks the calling thread for the write and its sync. A failed append throws and closes the
   * segment.
   */
  append(lines: string | Uint8Array): number {
    const segment = this.segment ?? this.openSegment();
    const buffer = typeof lines === 'string' ? Buffer.from(lines, 'utf8') : lines;
    try {
      for (let written = 0; written < buffer.length; ) {
        written += writeSync(segment.fd, buffer, written, buffer.length - written);
      }
      segment.bytes += buffer.length;
      if (DSYNC === undefined) fdatasyncSync(segment.fd);
      if (!segment.durable) {
        syncDirNow(this.dir);
        segment.durable = true;
      }
      return segment.number;
    } catch (err) {
      // After a failed write or sync the segment's state on disk is unknown: never append to it again.
      this.segment = undefined;
      this.failed.add(segment.number);
      closeQuietly(segment.fd);
      throw err;
    }
  }

  /** Closes the open segment: the next append opens a new one. Returns the number below which every segment is closed. */
  rotate(): number {
    const segment = this.segment;
    this.segment = undefined;
    if (segment) closeQuietly(segment.fd);
    return this.nextNumber;
  }

  /**
   * Cuts the closed segments an append failed on back to their last whole line (the failed
   * write was answered 500; what of it reached the disk may end cut short), as opening the log
   * does after a crash.
   */
  async repairFailed(): Promise<void> {
    for (const number of this.failed) {
      if (this.segment?.number === number) continue;
      await cutToWholeLines(this.path(number));
      this.failed.delete(number);
    }
  }

  /** The paths of the segment files numbered below `boundary` (see {@link rotate}), oldest first. */
  async segmentsBelow(boundary: number): Promise<string[]> {
    const names = (await orIfMissing(readdir(this.dir), [])).sort();
    return names.flatMap((name) => {
      const match = SEGMENT.exec(name);
      return match?.[1] && Number(match[1]) < boundary ? [join(this.dir, name)] : [];
    });
  }

  /** Closes the open segment. */
  close(): void {
    this.rotate();
  }

  /** Opens a new segment (a number is never reused, even when creating its file failed). */
  private openSegment(): OpenSegment {
    const number = this.nextNumber++;
    const segment = { number, fd: openSync(this.path(number), SEGMENT_FLAGS), bytes: 0, durable: false };
    this.segment = segment;
    return segment;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Closing after a failed write: the segment is never written again either way.
  }
}
