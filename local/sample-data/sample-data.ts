import { appendFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBInstance } from '@duckdb/node-api';
import { parseDay } from '../../lambdas/core/calendar-day';
import { DAY_MS } from '../../lambdas/core/time';
import { ProgressBar, type ProgressOutput } from '../cli/progress-bar';
import type { Lake } from '../lake/lake';
import { stagingPath } from '../lake/lake-files';
import type { PartitionFiles } from '../lake/lake-snapshot';
import { type HistoryOptions, simulateHistory } from './sample-history';
import { stageSessionNdjson } from './sample-parquet';

export interface SampleDataOptions {
  readonly instance: DuckDBInstance;
  /** The lake the history is imported into, in one step once it is all written. */
  readonly lake: Lake;
  /** @default 'demo' */
  readonly appId?: string;
  /** About how many events to make (within about 10%). @default 250_000 */
  readonly events?: number;
  /** How many days of history, ending on `endDate`. @default 90 */
  readonly days?: number;
  /** Last day of the history (UTC, `YYYY-MM-DD`). @default yesterday */
  readonly endDate?: string;
  /** Same seed, same events. @default 1 */
  readonly seed?: number;
  /** The clock for the default end date and for arrival times. @default Date.now */
  readonly now?: () => number;
  /** Where the progress bar draws. @default none */
  readonly progress?: ProgressOutput;
  /** Stops between days; nothing is published then. */
  readonly signal?: AbortSignal;
}

export interface SampleDataSummary {
  readonly appId: string;
  readonly events: number;
  readonly firstDay: string;
  readonly lastDay: string;
  readonly partitions: readonly PartitionFiles[];
}

/** Events per staged Parquet chunk; chunks end at day ends, so each day lands in one file. */
const CHUNK_EVENTS = 100_000;
const PILOT_ARRIVALS_PER_DAY = 10;
/** How hard the arrival rate is steered back toward the planned event count (see {@link arrivalSteering}). */
const STEERING_GAIN = 4;

/**
 * Sizes the population so the history has about `target` events. A small pilot run gives the
 * shape of events over the days; during the real run, new users a day are scaled by how far the
 * events so far fall short of (or exceed) that shape. Users differ a lot in how much they play,
 * so the pilot alone would be off by 10-20%; steered, the total lands within a few percent.
 */
function arrivalSteering(target: number, pilot: Omit<HistoryOptions, 'arrivalsPerDay'>) {
  const shape: number[] = [];
  for (const day of simulateHistory({ ...pilot, arrivalsPerDay: () => PILOT_ARRIVALS_PER_DAY })) {
    shape.push(day.count);
  }
  const pilotEvents = shape.reduce((sum, n) => sum + n, 0);
  const scale = target / Math.max(1, pilotEvents);
  let planned = 0;
  let actual = 0;
  let correction = 1;
  return {
    arrivalsPerDay: () => PILOT_ARRIVALS_PER_DAY * scale * correction,
    dayDone: (day: number, events: number) => {
      planned += (shape[day] ?? 0) * scale;
      actual += events;
      if (actual > 0) correction = Math.min(4, Math.max(0.25, (planned / actual) ** STEERING_GAIN));
    },
  };
}

/**
 * Writes a realistic, reproducible history of one app into the lake (see `sample-history.ts`).
 * Days are converted to Parquet in chunks in a staging folder while the next days are being
 * simulated, and imported into the lake in one journaled step once all are done: a stop, a
 * failure or a crash leaves the lake as it was.
 */
export async function writeSampleData(options: SampleDataOptions): Promise<SampleDataSummary> {
  const now = (options.now ?? Date.now)();
  const days = options.days ?? 90;
  const target = options.events ?? 250_000;
  const endDay = options.endDate === undefined ? Math.floor(now / DAY_MS) - 1 : parseDay(options.endDate);
  if (endDay === undefined)
    throw new RangeError(`endDate ${JSON.stringify(options.endDate)} is not a calendar day`);
  const lastDayStart = endDay * DAY_MS;
  const base = { appId: options.appId ?? 'demo', firstDay: lastDayStart - (days - 1) * DAY_MS, days, now };
  const seed = options.seed ?? 1;
  options.signal?.throwIfAborted();
  const steering = arrivalSteering(target, { ...base, seed: seed + 1 });
  const bar = new ProgressBar(
    options.progress ?? { write: () => true },
    `Sample data for ${base.appId}`,
    days,
  );
  const outDir = await stagingPath(options.lake.dataDir, '');
  await mkdir(outDir);
  const connection = await options.instance.connect();
  const chunkFiles = (n: number) => ({
    sessions: join(outDir, `sessions-${n}.ndjson`),
    events: join(outDir, `events-${n}.ndjson`),
  });
  let events = 0;
  let chunk = 1;
  let chunkEvents = 0;
  let converting: Promise<void> = Promise.resolve();
  try {
    let day = 0;
    for (const lines of simulateHistory({ ...base, arrivalsPerDay: steering.arrivalsPerDay, seed })) {
      options.signal?.throwIfAborted();
      steering.dayDone(day, lines.count);
      const files = chunkFiles(chunk);
      for (const [file, part] of [
        [files.sessions, lines.sessions],
        [files.events, lines.events],
      ] as const) {
        if (part.length > 0) await appendFile(file, `${part.join('\n')}\n`);
      }
      events += lines.count;
      chunkEvents += lines.count;
      bar.update(++day, `${events.toLocaleString('en-US')} events`);
      if (chunkEvents > 0 && (chunkEvents >= CHUNK_EVENTS || day === days)) {
        await converting;
        const out = join(outDir, `parquet-${chunk}`);
        converting = stageSessionNdjson(connection, files, out).finally(() =>
          Promise.all([rm(files.sessions), rm(files.events)]),
        );
        chunk += 1;
        chunkEvents = 0;
      }
    }
    await converting;
    options.signal?.throwIfAborted();
    const chunks = Array.from({ length: chunk - 1 }, (_, c) => join(outDir, `parquet-${c + 1}`));
    const partitions = await options.lake.importStaged(chunks);
    const summary = {
      appId: base.appId,
      events,
      firstDay: new Date(base.firstDay).toISOString().slice(0, 10),
      lastDay: new Date(lastDayStart).toISOString().slice(0, 10),
      partitions,
    };
    bar.finish(
      `Sample data for ${summary.appId}: ${events.toLocaleString('en-US')} events, ${summary.firstDay} to ${summary.lastDay}`,
    );
    return summary;
  } finally {
    await converting.catch(() => undefined);
    connection.closeSync();
    await rm(outDir, { recursive: true, force: true });
  }
}
