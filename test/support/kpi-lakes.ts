import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { utcDay } from '../../lambdas/core/calendar-day';
import type { EventRecord } from '../../lambdas/core/event-record';
import { DEFAULT_LAKE_START_DATE, lakeWindow } from '../../lambdas/core/lake-window';
import { seededRandom } from '../../lambdas/core/seeded-random';
import { createKpiApp } from '../../lambdas/kpi/kpi-app';
import { DuckDbEngine } from '../../local/duckdb/duckdb-engine';
import { LakeScanSizer } from '../../local/duckdb/lake-scan-sizer';
import { compactLake, compactPartitions } from '../../local/lake/compact';
import { LakeAppDirectory } from '../../local/lake/lake-app-directory';
import { lakePartitions } from '../../local/lake/lake-files';
import { LakeRollupCatalog } from '../../local/rollups/lake-rollup-catalog';
import { writeLake } from './write-lake';

/**
 * Lakes holding the same events in the states the KPI planner meets, for the reference tests:
 *
 *   raw          no rollups: every day from raw events
 *   rollups      every day rolled up (`npm run compact`)
 *   stale        rolled up, then late events written (the days they fall on are stale)
 *   recompacted  stale, then compacted again as the server does (only the touched days)
 */
export type LakeState = 'raw' | 'rollups' | 'stale' | 'recompacted';

export interface KpiLake {
  readonly app: ReturnType<typeof createKpiApp>;
  readonly catalog?: LakeRollupCatalog;
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
  const connection = await instance.connect();
  if (state === 'raw') await writeLake(instance, dataDir, events);
  else if (state === 'rollups') {
    await writeLake(instance, dataDir, events);
    await compactLake({ connection, dataDir, rebuild: true });
  } else {
    const { base, late } = splitLate(events, options.seed);
    await writeLake(instance, dataDir, base);
    await compactLake({ connection, dataDir, rebuild: true });
    await writeLake(instance, dataDir, late);
    if (state === 'recompacted') {
      const lateDays = new Set(late.map((e) => utcDay(e.event_timestamp)));
      const touched = (await lakePartitions(dataDir)).filter((p) => lateDays.has(p.dt));
      await compactPartitions(touched, { connection, dataDir });
    }
  }
  connection.closeSync();
  const catalog = state === 'raw' ? undefined : await LakeRollupCatalog.open(dataDir);
  const app = createKpiApp({
    engine: new DuckDbEngine({ dataDir, instance }),
    lake: lakeWindow(options.lakeStartDate ?? DEFAULT_LAKE_START_DATE),
    apps: new LakeAppDirectory(dataDir),
    ...(catalog ? { catalog } : {}),
    sizer: new LakeScanSizer(dataDir, instance),
    now: () => options.now,
  });
  return {
    app,
    catalog,
    dataDir,
    close: async () => {
      instance.closeSync();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
