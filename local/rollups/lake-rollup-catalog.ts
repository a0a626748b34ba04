import { createHash } from 'node:crypto';
import type { DtRange, RollupCatalog, RollupCoverage } from '../../lambdas/core/rollup-catalog';
import type { LakeSnapshot } from '../lake/lake-snapshot';
import type { RollupManifests } from './lake-rollups';

/**
 * The local lake's {@link RollupCatalog} for one pinned snapshot and the rollup manifests
 * pinned with it (`Lake.pin(alongside)`): a day's rollup is current exactly while the
 * snapshot's version of its partition (`LakeSnapshot.version`: files and events still in the
 * log) equals the version the rollup was built from. A day with a late event, in the log or in
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
    for (const partition of this.snapshot.state.partitions.values()) {
      if (partition.appId === appId && partition.files.length > 0) days.add(partition.dt);
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
    const raw: DtRange[] = [];
    const versions: string[] = [];
    let latestArrival: number | undefined;
    // Days without events need no reading: a raw range may run across them.
    let extendsLast = false;
    for (const dt of this.days(appId).filter((d) => d >= from && d <= range.to)) {
      const entry = manifest?.days[dt];
      if (entry && entry.version === this.snapshot.version(appId, dt)) {
        versions.push(`${dt}=${entry.version}`);
        latestArrival = Math.max(latestArrival ?? 0, entry.latestArrival);
        extendsLast = false;
        continue;
      }
      const last = raw.at(-1);
      if (last && extendsLast) raw[raw.length - 1] = { ...last, to: dt };
      else raw.push({ from: dt, to: dt });
      extendsLast = true;
    }
    const version = createHash('sha256').update(versions.join(',')).digest('base64url').slice(0, 22);
    return { raw, version, ...(latestArrival === undefined ? {} : { latestArrival }) };
  }
}
