import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLLUP_CLIENTS, ROLLUP_TABLES } from '../../lambdas/rollups/rollup-tables';
import type { DerivedOutputs, PartitionDerivation } from '../lake/compaction';
import { stagingPath, syncFile } from '../lake/lake-files';
import type { FileMove } from '../lake/lake-journal';
import type { PartitionFiles } from '../lake/lake-snapshot';
import type { StepContext } from '../lake/log-conversion';
import { buildRollups } from './build-rollups';
import { rollupDir } from './rollup-files';
import {
  hasEveryTable,
  manifestPath,
  type RollupDayEntry,
  type RollupManifest,
  readManifests,
} from './rollup-manifest';

/** Every app's rollup manifest, by app id; replaced whole on each change, never changed in place. */
export type RollupManifests = ReadonlyMap<string, RollupManifest>;

export interface LakeRollupsOptions {
  /**
   * Rebuild every rollup, the client keys included, as if there were none (`npm run compact`):
   * an app's first build in this run starts a new manifest, and its days not rebuilt yet are
   * read from raw events until they are. @default false
   */
  readonly rebuild?: boolean;
}

/**
 * The local lake's rollups (docs/ROLLUPS.md) as a {@link PartitionDerivation}: when a partition
 * settles (and on start, and for `npm run compact`), a day whose rollup was not built from the
 * partition's current version, or lacks a day table (a lake rolled up by an older version), is
 * built again from the partition's files with the engine-neutral
 * SQL (`build-rollups.ts`) on the maintenance worker's DuckDB connection, along with the app's
 * `rollup_clients` (every known client keeps its key) and its manifest. They commit in the
 * compaction's journal, and the manifests that queries read are swapped in the same synchronous
 * step as the partition's files: `manifests`, read with `Lake.pin(alongside)`, always matches the
 * pinned files (`lake-rollup-catalog.ts` decides from both).
 */
export class LakeRollups implements PartitionDerivation {
  private current: RollupManifests = new Map();
  /** Apps whose rebuild has started in this run (with `rebuild`). */
  private readonly rebuilt = new Set<string>();

  constructor(private readonly options: LakeRollupsOptions = {}) {}

  /** The manifests now; pin them with the lake's files (`Lake.pin(alongside)`). */
  get manifests(): RollupManifests {
    return this.current;
  }

  async open(dataDir: string): Promise<void> {
    this.current = new Map((await readManifests(dataDir)).map((m) => [m.appId, m]));
  }

  async derive(input: {
    readonly partition: PartitionFiles;
    readonly files: readonly string[];
    readonly version: number;
    readonly context: StepContext;
  }): Promise<DerivedOutputs | undefined> {
    const { partition, files, version, context } = input;
    const { appId, dt } = partition;
    const old = this.current.get(appId);
    const base = this.options.rebuild && !this.rebuilt.has(appId) ? undefined : old;
    const built = base?.days[dt];
    if (files.length === 0 || (built?.version === version && hasEveryTable(built))) return undefined;
    const { dataDir, connection } = context;
    const rollups = await buildRollups(connection, dataDir, {
      appId,
      dt,
      files,
      ...(base ? { clientsFile: join(rollupDir(dataDir, ROLLUP_CLIENTS, appId), base.clients) } : {}),
    });
    const clients = `${ROLLUP_CLIENTS.folder}-${randomUUID()}.parquet`;
    const moves: FileMove[] = [
      { from: rollups.clientsFile, to: join(rollupDir(dataDir, ROLLUP_CLIENTS, appId), clients) },
    ];
    const names: Record<string, string> = {};
    for (const table of ROLLUP_TABLES) {
      const file = rollups.files[table.name];
      if (!file) continue;
      const name = `${table.folder}-${randomUUID()}.parquet`;
      names[table.name] = name;
      moves.push({ from: file, to: join(rollupDir(dataDir, table, appId, dt), name) });
    }
    const entry: RollupDayEntry = {
      version,
      records: rollups.records,
      latestArrival: rollups.latestArrival,
      files: names,
    };
    const next: RollupManifest = { appId, clients, days: { ...base?.days, [dt]: entry } };
    const manifest = await stagingPath(dataDir, '.json');
    await writeFile(manifest, JSON.stringify(next));
    await syncFile(manifest);
    moves.push({ from: manifest, to: manifestPath(dataDir, appId) });
    return {
      moves,
      deletes: old ? replacedFiles(dataDir, old, base === undefined ? Object.keys(old.days) : [dt]) : [],
      apply: () => {
        this.current = new Map(this.current).set(appId, next);
        this.rebuilt.add(appId);
      },
    };
  }
}

/** The files of an old manifest a new one replaces: its clients file and the given days' files. */
function replacedFiles(dataDir: string, old: RollupManifest, days: readonly string[]): string[] {
  const paths = [join(rollupDir(dataDir, ROLLUP_CLIENTS, old.appId), old.clients)];
  for (const dt of days) {
    for (const table of ROLLUP_TABLES) {
      const name = old.days[dt]?.files[table.name];
      if (name) paths.push(join(rollupDir(dataDir, table, old.appId, dt), name));
    }
  }
  return paths;
}
