import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlString } from '../../lambdas/core/sql-literal';
import {
  type LakeFile,
  lakeFileName,
  parquetFiles,
  partitionDir,
  partitionsUnder,
  stagingPath,
  syncFile,
} from './lake-files';
import type { FileMove, JournalEntry } from './lake-journal';
import { changeFiles, type LakePartitions, type PartitionFiles } from './lake-snapshot';
import { readLogLines } from './log-lines';
import { type PendingEvents, type PendingSegment, partitionKey } from './pending-events';

/** What a conversion or compaction step uses of the lake (see `lake-maintenance.ts`). */
export interface StepContext {
  readonly dataDir: string;
  readonly connection: DuckDBConnection;
  /**
   * Journals the entry and moves its files in, then swaps the lake's files with `change` in
   * one synchronous step; the entry's deletions (and `afterReaders`) run once no query reads
   * what was replaced.
   */
  commit(
    entry: JournalEntry,
    change: (partitions: LakePartitions) => LakePartitions,
    afterReaders?: () => Promise<void>,
  ): Promise<void>;
  /** Called once the new files are staged and synced; tests stop there to act out a crash. */
  staged(): Promise<void>;
}

/**
 * Turns closed log segments (`segments`, still pending) into Parquet in the lake layout and
 * deletes every closed segment file (`segmentFiles`: also those without acknowledged events,
 * e.g. after a failed append, and those converted before whose deletion still waits for
 * queries), atomically for readers and across a crash:
 *
 * 1. their files' events are written as one Parquet file per partition under `.staging/` and
 *    synced (in the maintenance worker's own DuckDB, whatever queries loaded meanwhile);
 * 2. one journal names the moves into the partitions and the segment files to delete;
 * 3. the files move in, and in the same synchronous step the lake's file list gains them and
 *    the segments leave the pending events: a query sees each event exactly once, before or after;
 * 4. once no query reads the old state, the segment files and their DuckDB tables go.
 *
 * Each new file is named with the newest commit sequence number of its partition's events,
 * so the partition's version does not change. Returns the partitions that got a file.
 */
export async function convertLog(
  context: StepContext,
  pending: PendingEvents,
  segments: readonly PendingSegment[],
  segmentFiles: readonly string[],
): Promise<PartitionFiles[]> {
  const outDir = await stagingPath(context.dataDir, '');
  const read = segments.map((s) => s.path);
  const staged = read.length > 0 ? await stage(context, read, outDir) : [];
  await context.staged();
  const moves: FileMove[] = [];
  const added: PartitionFiles[] = [];
  for (const { appId, dt, from, bytes } of staged) {
    const seq = Math.max(0, ...segments.map((s) => s.partitions.get(partitionKey(appId, dt))?.seq ?? 0));
    const file: LakeFile = { name: lakeFileName('events', seq), bytes, seq };
    const dir = partitionDir(context.dataDir, appId, dt);
    moves.push({ from, to: join(dir, file.name) });
    added.push({ appId, dt, dir, files: [file] });
  }
  const numbers = new Set(segments.map((s) => s.number));
  let removed: PendingSegment[] = [];
  await context.commit(
    { moves, deletes: segmentFiles },
    (partitions) => {
      removed = pending.remove(numbers);
      return changeFiles(
        partitions,
        added.map((partition) => ({ partition })),
      );
    },
    () => pending.drop(removed),
  );
  await rm(outDir, { recursive: true, force: true });
  return added;
}

interface StagedFile {
  readonly appId: string;
  readonly dt: string;
  readonly from: string;
  readonly bytes: number;
}

async function stage(
  context: StepContext,
  segmentFiles: readonly string[],
  outDir: string,
): Promise<StagedFile[]> {
  await context.connection.run(
    `COPY (${readLogLines(segmentFiles)}) TO ${sqlString(outDir)} (FORMAT parquet, PARTITION_BY (app_id, dt))`,
  );
  const staged: StagedFile[] = [];
  for (const part of await partitionsUnder(outDir)) {
    for (const name of await parquetFiles(part.dir)) {
      const from = join(part.dir, name);
      await syncFile(from);
      staged.push({ appId: part.appId, dt: part.dt, from, bytes: (await stat(from)).size });
    }
  }
  return staged;
}
