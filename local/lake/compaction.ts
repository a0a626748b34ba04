import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENT_COLUMNS } from '../../lambdas/core/event-record';
import { sqlString } from '../../lambdas/core/sql-literal';
import { type LakeFile, lakeFileName, stagingPath, syncFile } from './lake-files';
import type { FileMove } from './lake-journal';
import { changeFiles, type PartitionFiles } from './lake-snapshot';
import type { StepContext } from './log-conversion';

/**
 * Outputs derived from a partition's events that must change together with its files, e.g.
 * per-day rollups: they are written beside a compaction and committed in its journal, so after
 * a crash or for any reader either both changes happened or neither did.
 */
export interface PartitionDerivation {
  /**
   * Called when the lake opens, after the journals a stopped process left are rolled forward
   * and before anything reads the lake: reads what the derivation keeps (e.g. its manifests).
   */
  open?(dataDir: string): Promise<void>;
  /**
   * Called by the lake's one maintenance worker for each compaction of a partition, and when a
   * partition settles (no new file for a while, see `lake-maintenance.ts`), after the merged
   * file (if any) is staged. `files` are the absolute paths of every event file the partition
   * will hold once the step commits (a merged one still in staging), `version` the version of
   * those files (unchanged by a compaction, see `LakeSnapshot.version`). Return nothing when
   * the derived files are current; else stage new ones under `stagingPath(...)`, sync them, and
   * return their moves and the files they replace; `apply` runs in the same synchronous step
   * that swaps the partition's files for queries.
   */
  derive(input: {
    readonly partition: PartitionFiles;
    readonly files: readonly string[];
    readonly version: number;
    readonly context: StepContext;
  }): Promise<DerivedOutputs | undefined>;
}

export interface DerivedOutputs {
  readonly moves: readonly FileMove[];
  readonly deletes: readonly string[];
  readonly apply?: () => void;
}

const COLUMNS = EVENT_COLUMNS.map((c) => `"${c.name}"`).join(', ');

/**
 * Merges some files of a partition into one (which ones: `compaction-policy.ts`, or all of
 * them for `npm run compact`) and brings its derivations up to date, atomically for readers
 * and across a crash:
 *
 * 1. the merged file is written under `.staging/` and synced; derivations stage theirs;
 * 2. one journal names the moves (the merged file into the partition, derived files) and the
 *    deletions (the sources, and what derivations replace);
 * 3. the files move in, and in the same synchronous step the partition's file list swaps the
 *    sources for the merged file: a query sees each event exactly once, before or after;
 * 4. once no query reads the sources any more, they are deleted, then the journal.
 *
 * With no sources, only the derivations run (nothing is committed when they write nothing).
 * Only the lake's one maintenance worker calls this, so no two compactions of a partition ever
 * overlap. The merged file carries the sources' newest sequence number: same version.
 */
export async function compactPartition(
  context: StepContext,
  partition: PartitionFiles,
  sources: readonly LakeFile[],
  derivations: readonly PartitionDerivation[] = [],
): Promise<void> {
  const names = sources.map((s) => s.name);
  const kept = partition.files.filter((f) => !names.includes(f.name));
  let merged: { readonly staged: string; readonly file: LakeFile } | undefined;
  if (sources.length > 0) {
    const staged = await stagingPath(context.dataDir, '.parquet');
    const list = `[${sources.map((s) => sqlString(join(partition.dir, s.name))).join(', ')}]`;
    await context.connection.run(
      `COPY (SELECT ${COLUMNS} FROM read_parquet(${list}, hive_partitioning = false)) TO ${sqlString(staged)} (FORMAT parquet)`,
    );
    await syncFile(staged);
    const seq = Math.max(...sources.map((s) => s.seq));
    merged = {
      staged,
      file: { name: lakeFileName('compacted', seq), bytes: (await stat(staged)).size, seq },
    };
  }
  const version = Math.max(0, ...partition.files.map((f) => f.seq));
  const files = [...kept.map((f) => join(partition.dir, f.name)), ...(merged ? [merged.staged] : [])];
  const derived: DerivedOutputs[] = [];
  for (const derivation of derivations) {
    const outputs = await derivation.derive({ partition, files, version, context });
    if (outputs) derived.push(outputs);
  }
  if (!merged && derived.length === 0) return;
  await context.staged();
  await context.commit(
    {
      moves: [
        ...(merged ? [{ from: merged.staged, to: join(partition.dir, merged.file.name) }] : []),
        ...derived.flatMap((d) => d.moves),
      ],
      deletes: [...names.map((n) => join(partition.dir, n)), ...derived.flatMap((d) => d.deletes)],
    },
    (partitions) => {
      for (const d of derived) d.apply?.();
      if (!merged) return partitions;
      return changeFiles(partitions, [{ partition: { ...partition, files: [merged.file] }, remove: names }]);
    },
  );
}
