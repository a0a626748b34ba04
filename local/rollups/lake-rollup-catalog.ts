import { createHash } from 'node:crypto';
import type { DtRange, RollupCatalog, RollupCoverage } from '../../lambdas/core/rollup-catalog';
import { lakePartitions, type Partition, parquetFiles } from '../lake/lake-files';
import { builtFrom, type RollupManifest, readManifests } from './rollup-manifest';

/**
 * The local lake's {@link RollupCatalog}: which partitions have a current rollup. It is loaded
 * from the manifests and the partition folders when the lake opens, told by the sink of every
 * write (the day's rollup is stale from then on, before the write is acknowledged) and by
 * compaction of every commit. A partition's rollup is current when it was built from every file
 * the partition holds.
 */

interface DayState {
  /** Whether the day's rollup holds every event of the partition. */
  current: boolean;
  /** Writes the sink reported; a commit that began before one cannot make the day current. */
  writes: number;
}

interface AppState {
  manifest?: RollupManifest;
  /** The UTC days with a partition folder holding files. */
  readonly days: Map<string, DayState>;
}

/** What compaction saw of a partition before building its rollup. */
export interface DaySnapshot {
  readonly dt: string;
  readonly writes: number;
}

export class LakeRollupCatalog implements RollupCatalog {
  private readonly apps = new Map<string, AppState>();

  private constructor() {}

  /** Reads the lake's manifests and partitions. */
  static async open(dataDir: string): Promise<LakeRollupCatalog> {
    const catalog = new LakeRollupCatalog();
    const manifests = new Map((await readManifests(dataDir)).map((m) => [m.appId, m]));
    for (const partition of await lakePartitions(dataDir)) {
      const files = await parquetFiles(partition.dir);
      if (files.length === 0) continue;
      const manifest = manifests.get(partition.appId);
      const app = catalog.app(partition.appId);
      app.manifest = manifest;
      app.days.set(partition.dt, { current: builtFrom(manifest?.days[partition.dt], files), writes: 0 });
    }
    return catalog;
  }

  private app(appId: string): AppState {
    let app = this.apps.get(appId);
    if (!app) {
      app = { days: new Map() };
      this.apps.set(appId, app);
    }
    return app;
  }

  private day(appId: string, dt: string): DayState {
    const days = this.app(appId).days;
    let day = days.get(dt);
    if (!day) {
      day = { current: false, writes: 0 };
      days.set(dt, day);
    }
    return day;
  }

  /** The sink wrote files into these partitions: their rollups no longer hold every event. */
  written(partitions: readonly Partition[]): void {
    for (const { appId, dt } of partitions) {
      const day = this.day(appId, dt);
      day.current = false;
      day.writes += 1;
    }
  }

  /** Whether a partition's rollup is current. */
  isCurrent(appId: string, dt: string): boolean {
    return this.apps.get(appId)?.days.get(dt)?.current ?? false;
  }

  /** Taken before compaction lists a partition's files. */
  snapshot(appId: string, dt: string): DaySnapshot {
    return { dt, writes: this.day(appId, dt).writes };
  }

  /**
   * Compaction committed a new manifest; `current` are the days it built whose partitions held
   * exactly the files it read, at the commit (under the lake lock).
   */
  committed(manifest: RollupManifest, current: readonly DaySnapshot[]): void {
    const app = this.app(manifest.appId);
    app.manifest = manifest;
    for (const snapshot of current) {
      const day = this.day(manifest.appId, snapshot.dt);
      day.current = day.writes === snapshot.writes;
    }
  }

  async coverage(appId: string, range: DtRange): Promise<RollupCoverage> {
    const app = this.apps.get(appId);
    const from = range.from ?? '';
    const inRange = [...(app?.days.entries() ?? [])]
      .filter(([dt]) => dt >= from && dt <= range.to)
      .sort(([a], [b]) => a.localeCompare(b));
    const raw: DtRange[] = [];
    const versions: string[] = [];
    let latestArrival: number | undefined;
    // Days without a partition have no events: a raw range may run across them.
    let extendsLast = false;
    for (const [dt, state] of inRange) {
      const entry = app?.manifest?.days[dt];
      if (state.current && entry) {
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
