import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { utcDay } from '../../lambdas/core/calendar-day';
import type { EventRecord } from '../../lambdas/core/event-record';
import { DEFAULT_LAKE_START_DATE, lakeWindow } from '../../lambdas/core/lake-window';
import { seededRandom } from '../../lambdas/core/seeded-random';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import type { KpiCache } from '../../lambdas/kpi/kpi-cache';
import { DuckDbEngine } from '../../local/duckdb/duckdb-engine';
import { LakeScanSizer } from '../../local/duckdb/lake-scan-sizer';
import { Lake } from '../../local/lake/lake';
import { LakeAppDirectory } from '../../local/lake/lake-app-directory';
import { LakeKpiViews } from '../../local/rollups/lake-kpi-views';
import { LakeRollups } from '../../local/rollups/lake-rollups';
import { asRolledUpBeforeClientDays } from './older-rollups';
import { writeLake } from './write-lake';

/**
 * Lakes holding the same events in the states the KPI planner meets, for the reference tests:
 *
 *   raw          no rollups: every day from raw events
 *   rollups      every day rolled up (`npm run compact`)
 *   stale        rolled up, then late events written (the days they fall on are stale): half
 *                of them converted to Parquet, half still in the lake's log
 *   recompacted  stale, then settled as the server does (only the touched days are rebuilt)
 *   upgraded     rolled up by a version before `rollup_client_days`, then opened again: every
 *                day is built again as the lake opens, and read from rollups once that is done
 */
export type LakeState = 'raw' | 'rollups' | 'stale' | 'recompacted' | 'upgraded';

export interface KpiLake {
  readonly app: ReturnType<typeof createKpiApp>;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * Splits events into those written before the rollups and the late ones, which all fall on a
 * few UTC days: a share of those days' events, the first day's events of a few clients (so that
 * late events move their first day earlier, and some become new users on an old day), and late
 * copies of events already rolled up (a retry arriving days later must still count once).
 */
export function splitLate(
  events: readonly EventRecord[],
  seed: number,
): { base: EventRecord[]; late: EventRecord[] } {
  const random = seededRandom(seed);
  const firstDay = new Map<string, string>();
  for (const event of events) {
    const day = utcDay(event.event_timestamp);
    const known = firstDay.get(event.client.client_id);
    if (known === undefined || day < known) firstDay.set(event.client.client_id, day);
  }
  const lateFirsts = new Set(['client-3', 'client-17', 'client-42', 'client-5']);
  const lateDays = new Set([
    '2026-01-05',
    '2026-01-28',
    '2026-02-25',
    '2026-03-03',
    '2026-03-20',
    '2026-03-25',
  ]);
  for (const client of lateFirsts) lateDays.add(firstDay.get(client) ?? '');
  const base: EventRecord[] = [];
  const late: EventRecord[] = [];
  const later = (event: EventRecord, ms: number) => ({
    ...event,
    arrival_timestamp: event.arrival_timestamp + ms,
  });
  for (const event of events) {
    const day = utcDay(event.event_timestamp);
    const firstOfLateClient =
      lateFirsts.has(event.client.client_id) && firstDay.get(event.client.client_id) === day;
    if (firstOfLateClient || (lateDays.has(day) && random() < 0.4)) late.push(later(event, 86_400_000));
    else {
      base.push(event);
      if (lateDays.has(day) && random() < 0.05) late.push(later(event, 172_800_000));
    }
  }
  return { base, late };
}

export interface OpenedKpiLake {
  readonly lake: Lake;
  /** The KPI API over the lake, as the local server wires it. */
  readonly app: ReturnType<typeof createKpiApp>;
  /** Closes the lake (which converts its log and settles what changed). */
  close(): Promise<void>;
}

/**
 * Opens a lake folder as the local server does (with rollups, or without as `--no-rollups`)
 * and its KPI API; the lake converts and settles only when the test says so (`converted()`,
 * `settled()`, `compactAll()`).
 */
export async function openKpiLake(
  instance: DuckDBInstance,
  dataDir: string,
  options: {
    readonly rollups: boolean;
    readonly now: number;
    /** @default the lake's default first day */
    readonly lakeStartDate?: string;
    readonly cache?: KpiCache;
  },
): Promise<OpenedKpiLake> {
  const rollups = options.rollups ? new LakeRollups() : undefined;
  const lake = await Lake.open({
    dataDir,
    command: 'a KPI test',
    instance,
    convertAfterMs: 3_600_000,
    settleAfterMs: 3_600_000,
    ...(rollups ? { derivations: [rollups] } : {}),
  });
  const engine = new DuckDbEngine({ events: lake, instance });
  const views = new LakeKpiViews({ lake, engine, rollups, sizer: new LakeScanSizer(instance) });
  const app = createKpiApp({
    engine,
    view: (appId: string) => views.view(appId),
    lake: lakeWindow(options.lakeStartDate ?? DEFAULT_LAKE_START_DATE),
    apps: new LakeAppDirectory({ lake }),
    ...(options.cache ? { cache: options.cache } : {}),
    now: () => options.now,
  });
  return { lake, app, close: () => lake.close() };
}

export async function kpiLake(
  state: LakeState,
  events: readonly EventRecord[],
  options: {
    readonly now: number;
    readonly seed: number;
    /** @default the lake's default first day */
    readonly lakeStartDate?: string;
  },
): Promise<KpiLake> {
  const instance = await DuckDBInstance.create(':memory:');
  const dataDir = await mkdtemp(join(tmpdir(), `kpi-${state}-`));
  const { base, late } =
    state === 'stale' || state === 'recompacted'
      ? splitLate(events, options.seed)
      : { base: events, late: [] };
  await writeLake(instance, dataDir, base);
  let opened = await openKpiLake(instance, dataDir, { ...options, rollups: state !== 'raw' });
  if (state !== 'raw') await opened.lake.compactAll();
  if (state === 'upgraded') {
    await opened.close();
    await asRolledUpBeforeClientDays(dataDir);
    opened = await openKpiLake(instance, dataDir, { ...options, rollups: true });
    await opened.lake.compactAll();
  }
  if (late.length > 0) {
    // Half the late events converted to Parquet (a file the day's rollup lacks), half still in the log.
    const half = Math.floor(late.length / 2);
    await opened.lake.sink.put(late.slice(0, half));
    await opened.lake.converted();
    await opened.lake.sink.put(late.slice(half));
    if (state === 'recompacted') await opened.lake.settled();
  }
  return {
    app: opened.app,
    dataDir,
    close: async () => {
      await opened.close();
      instance.closeSync();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
