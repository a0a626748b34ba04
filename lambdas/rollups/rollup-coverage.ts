import { createHash } from 'node:crypto';
import type { DtRange, RollupCoverage } from '../core/rollup-catalog';

/** What a catalog knows of one UTC day with events. */
export interface DayState {
  readonly dt: string;
  /** Present when the day's rollup holds every event of its partition. */
  readonly rollup?: { readonly version: string; readonly latestArrival?: number };
}

/**
 * The coverage of a range from its days' states (any order): consecutive days read from raw
 * events form one range, which may run across days without events; the version hashes the
 * versions of the days read from their rollups, so it changes whenever one of them is rebuilt.
 */
export function coverageOf(days: Iterable<DayState>): RollupCoverage {
  const sorted = [...days].sort((a, b) => a.dt.localeCompare(b.dt));
  const raw: DtRange[] = [];
  const versions: string[] = [];
  let latestArrival: number | undefined;
  let extendsLast = false;
  for (const { dt, rollup } of sorted) {
    if (rollup) {
      versions.push(`${dt}=${rollup.version}`);
      if (rollup.latestArrival !== undefined)
        latestArrival = Math.max(latestArrival ?? 0, rollup.latestArrival);
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
