import { join } from 'node:path';
import { EVENTS_TABLE } from '../../lambdas/core/lake-layout';
import { type DtRange, NO_ROLLUPS } from '../../lambdas/core/rollup-catalog';
import type { TableRead } from '../../lambdas/kpi/kpi-planner';
import type { KpiView } from '../../lambdas/kpi/planned-kpi-source';
import { ROLLUP_CLIENTS, ROLLUP_TABLES } from '../../lambdas/rollups/rollup-tables';
import type { DuckDbEngine } from '../duckdb/duckdb-engine';
import type { LakeScanSizer, ReadFiles } from '../duckdb/lake-scan-sizer';
import type { RollupFiles } from '../duckdb/rollup-views';
import type { Lake, PinnedLake } from '../lake/lake';
import { LakeRollupCatalog } from './lake-rollup-catalog';
import type { LakeRollups, RollupManifests } from './lake-rollups';
import { rollupDir } from './rollup-files';

export interface LakeKpiViewsOptions {
  readonly lake: Lake;
  /** The engine over the lake: each view holds one of its query slots until it is released. */
  readonly engine: DuckDbEngine;
  /** Footers of the lake's files, for `bytesScanned`. */
  readonly sizer: LakeScanSizer;
  /** The lake's rollups; none (`--no-rollups`): every day is read from raw events. @default none */
  readonly rollups?: LakeRollups;
}

const inRanges = (dt: string, ranges: readonly DtRange[]) =>
  ranges.some((r) => (r.from === undefined || dt >= r.from) && dt <= r.to);

/**
 * The KPI API's views of the live local lake (`PlannedKpiSourceOptions.view`): each takes one
 * of the engine's query slots and pins the lake's files and log with its rollup manifests in one
 * synchronous step (`Lake.pin`), so
 * that the rollup catalog's decision (`lake-rollup-catalog.ts`), the planned SQL (an engine
 * reading that pin: events and rollup files) and `bytesScanned` all see one state, which no
 * conversion, compaction or rollup build changes until the answer is done.
 */
export class LakeKpiViews {
  /**
   * The rollup files of the manifests last pinned: a manifests map is never changed, a rollup
   * build swaps in a new one (`lake-rollups.ts`), so its files are listed once, not per answer.
   */
  private listed: { readonly manifests: RollupManifests; readonly files: RollupFiles } | undefined;

  constructor(private readonly options: LakeKpiViewsOptions) {}

  private rollupFiles(manifests: RollupManifests): RollupFiles {
    if (this.listed?.manifests !== manifests) {
      this.listed = { manifests, files: rollupFiles(this.options.lake.dataDir, manifests) };
    }
    return this.listed.files;
  }

  /** A view for one answer about the app: only its events are loaded and read. */
  async view(appId: string): Promise<KpiView> {
    const { lake, engine, rollups, sizer } = this.options;
    const done = await engine.slot();
    let manifests: RollupManifests = new Map();
    const pinned = await lake
      .pin({
        appId,
        alongside: () => {
          manifests = rollups?.manifests ?? manifests;
        },
      })
      .catch((err: unknown) => {
        done();
        throw err;
      });
    const files = this.rollupFiles(manifests);
    return {
      engine: engine.inSlot({
        pin: async () => ({ parts: pinned.parts, rollups: files, release: () => undefined }),
      }),
      catalog: rollups ? new LakeRollupCatalog(pinned, manifests) : NO_ROLLUPS,
      sizer: sizer.sizer(pinnedFiles(lake.dataDir, pinned, manifests)),
      release: () => {
        pinned.release();
        done();
      },
    };
  }
}

/** Every rollup file the manifests name, by table. */
function rollupFiles(dataDir: string, manifests: RollupManifests): RollupFiles {
  const files = new Map<string, string[]>(ROLLUP_TABLES.map((t) => [t.name, []]));
  for (const manifest of manifests.values()) {
    files
      .get(ROLLUP_CLIENTS.name)
      ?.push(join(rollupDir(dataDir, ROLLUP_CLIENTS, manifest.appId), manifest.clients));
    for (const [dt, entry] of Object.entries(manifest.days)) {
      for (const [table, name] of Object.entries(entry.files)) {
        const spec = ROLLUP_TABLES.find((t) => t.name === table);
        if (spec) files.get(table)?.push(join(rollupDir(dataDir, spec, manifest.appId, dt), name));
      }
    }
  }
  return files;
}

/** The Parquet files a read covers in a pinned state of the lake and its rollups. */
export const pinnedFiles =
  (dataDir: string, pinned: PinnedLake, manifests: RollupManifests): ReadFiles =>
  (read) =>
    readFiles(dataDir, pinned, manifests, read);

function readFiles(
  dataDir: string,
  pinned: PinnedLake,
  manifests: RollupManifests,
  read: TableRead,
): string[] {
  if (read.table === EVENTS_TABLE) {
    return [...pinned.state.partitions.values()]
      .filter((p) => p.appId === read.appId && inRanges(p.dt, read.days))
      .flatMap((p) => p.files.map((f) => join(p.dir, f.name)));
  }
  const table = ROLLUP_TABLES.find((t) => t.name === read.table);
  if (!table) throw new Error(`No table ${read.table} in the lake`);
  const manifest = manifests.get(read.appId);
  if (!manifest) return [];
  if (table === ROLLUP_CLIENTS) return [join(rollupDir(dataDir, table, read.appId), manifest.clients)];
  return Object.entries(manifest.days)
    .filter(([dt]) => inRanges(dt, read.days))
    .flatMap(([dt, entry]) => {
      const name = entry.files[table.name];
      return name ? [join(rollupDir(dataDir, table, read.appId, dt), name)] : [];
    });
}
