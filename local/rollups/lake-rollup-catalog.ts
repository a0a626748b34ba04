import type { DtRange, RollupCatalog, RollupCoverage } from '../../lambdas/core/rollup-catalog';
import { coverageOf, type DayState } from '../../lambdas/rollups/rollup-coverage';
import { appPartitions, type LakeSnapshot } from '../lake/lake-snapshot';
import type { RollupManifests } from './lake-rollups';
import { hasEveryTable } from './rollup-manifest';

/**
 * The local lake's {@link RollupCatalog} for one pinned snapshot and the rollup manifests
 * pinned with it (`Lake.pin(alongside)`): a day's rollup is current exactly while the
 * snapshot's version of its partition (`LakeSnapshot.version`: files and events still in the
 * log) equals the version the rollup was built from, and the rollup has every day table (a
 * manifest written before a table existed lacks it until the day is built again). A day with a late event, in the log or in
 * a file not yet settled, has a newer version: it is read from raw events, in the same snapshot
 * the planner's SQL then reads.
 */
export class LakeRollupCatalog implements RollupCatalog {
  constructor(
    private readonly snapshot: LakeSnapshot,
    private readonly manifests: RollupManifests,
  ) {}

  /** The UTC days the app has events on in the snapshot (files or log), sorted. */
  private days(appId: string): string[] {
    const days = new Set<string>();
    for (const partition of appPartitions(this.snapshot.state.partitions, appId)) {
      if (partition.files.length > 0) days.add(partition.dt);
    }
    for (const segment of this.snapshot.state.segments) {
      for (const partition of segment.partitions.values()) {
        if (partition.appId === appId) days.add(partition.dt);
      }
    }
    return [...days].sort();
  }

  async coverage(appId: string, range: DtRange): Promise<RollupCoverage> {
    const manifest = this.manifests.get(appId);
    const from = range.from ?? '';
    return coverageOf(
      this.days(appId)
        .filter((dt) => dt >= from && dt <= range.to)
        .map((dt): DayState => {
          const entry = manifest?.days[dt];
          return entry && entry.version === this.snapshot.version(appId, dt) && hasEveryTable(entry)
            ? { dt, rollup: { version: String(entry.version), latestArrival: entry.latestArrival } }
            : { dt };
        }),
    );
  }
}
