import { createHash } from 'node:crypto';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { formatDay, parseDay } from '../core/calendar-day';
import { partitionPath, ROLLUPS_PREFIX } from '../core/lake-layout';
import { logger } from '../core/logger';
import type { Row } from '../core/query-engine';
import { DAY_MS } from '../core/time';
import type { AthenaStatements } from './athena-statements';
import { type DayObjects, listDays, readManifest } from './lake-objects';
import {
  BUILT_TABLES,
  builtFrom,
  type LakeObject,
  type ManifestDay,
  manifestKey,
  type RollupManifest,
} from './rollup-manifest';
import { type BuildRange, daySummarySql } from './rollup-sql';
import {
  countRecordsSql,
  mergeActivitySql,
  mergeClientDaysSql,
  mergeClientsSql,
  mergeEventStatsSql,
  optimizeSql,
  type PartitionObjects,
  unloadSql,
} from './rollup-statements';
import { ROLLUP_TABLES } from './rollup-tables';

/**
 * The deployed rollup job (ADR 019, docs/ROLLUPS.md), one run per schedule tick, never two at
 * once. For each app, from one listing of its raw objects and its manifest:
 *
 * 1. compacts each closed day (ended over 24 h ago) that has several objects: the records of
 *    exactly the listed objects are UNLOADed to a staging prefix, copied into the partition, counted
 *    again, and only then are those listed objects deleted (objects Firehose adds meanwhile are
 *    not touched; copies and originals side by side count nothing twice, KPIs counting distinct
 *    events);
 * 2. rebuilds every day up to yesterday whose objects differ from those its manifest entry names
 *    (new, late or compacted objects; expired ones) or that lack a day table (built before the
 *    table existed), in ranges of consecutive days: MERGE `rollup_clients`, then replace the
 *    range's `rollup_activity`, `rollup_client_days` and `rollup_event_stats` rows (one MERGE
 *    each, in this order), then read the days' summaries;
 * 3. after each range, writes the app's manifest (one PUT) naming for its days the objects listed
 *    before the range's statements ran, then OPTIMIZEs the range's partitions of each table (the
 *    MERGEs leave small files and position deletes; the rows stay the same).
 *
 * A failed statement ends the run before that range's manifest is written: its days stay read
 * from raw events (exact) and the next run rebuilds them (each statement is idempotent). A run
 * starts nothing when less than `reserveMs` is left; the remaining days wait for the next run.
 */

/** Staging for compaction's UNLOADs, below the rollups prefix. */
export const COMPACTION_PREFIX = `${ROLLUPS_PREFIX}compaction/`;
/** Objects per UNLOAD of compaction: bounds the statement's text (Athena takes at most 256 KB). */
const OBJECTS_PER_UNLOAD = 500;
/** S3 DeleteObjects takes at most 1000 keys. */
const KEYS_PER_DELETE = 1000;

export interface RollupJobOptions {
  readonly bucket: string;
  readonly s3: S3Client;
  readonly statements: AthenaStatements;
  /** The apps of the lake. */
  readonly apps: () => Promise<readonly string[]>;
  /** @default Date.now */
  readonly now?: () => number;
  /** Days per build statement (Athena writes at most 100 partitions in one). @default 31 */
  readonly maxDaysPerRange?: number;
  /** No work is started with less time than this left. @default 5 minutes */
  readonly reserveMs?: number;
  /** A statement must end this long before the run's end, or it is stopped. @default 30 s */
  readonly marginMs?: number;
}

export interface AppRun {
  readonly appId: string;
  /** Days compacted. */
  readonly compacted: readonly string[];
  /** Ranges rebuilt, manifest written. */
  readonly rebuilt: readonly BuildRange[];
  /** Days still to rebuild (the run's time ran out). */
  readonly pending: readonly string[];
}

export interface RollupRun {
  /** Why nothing was done, when nothing was. */
  readonly skipped?: string;
  readonly apps: readonly AppRun[];
}

export interface RunContext {
  /** Unique per run: names staging prefixes, compacted objects and build versions. */
  readonly runId: string;
  /** Time left before the run is killed (the Lambda's remaining time). */
  readonly remainingMs: () => number;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 22);

function toCount(value: Row[string] | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Consecutive days, each run at most `max` long. */
function consecutiveRanges(appId: string, days: readonly string[], max: number): BuildRange[] {
  const ranges: BuildRange[] = [];
  for (const dt of [...days].sort()) {
    const last = ranges.at(-1);
    const next = last && formatDay((parseDay(last.lastDt) ?? 0) + 1);
    const length = last ? (parseDay(dt) ?? 0) - (parseDay(last.firstDt) ?? 0) + 1 : 0;
    if (last && next === dt && length <= max) ranges[ranges.length - 1] = { ...last, lastDt: dt };
    else ranges.push({ appId, firstDt: dt, lastDt: dt });
  }
  return ranges;
}

function* daysOf(range: BuildRange): Generator<string> {
  for (let day = parseDay(range.firstDt) ?? 0; day <= (parseDay(range.lastDt) ?? -1); day++)
    yield formatDay(day);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class RollupJob {
  private readonly now: () => number;
  private readonly maxDays: number;
  private readonly reserveMs: number;
  private readonly marginMs: number;

  constructor(private readonly options: RollupJobOptions) {
    const { maxDaysPerRange = 31 } = options;
    if (!Number.isInteger(maxDaysPerRange) || maxDaysPerRange < 1 || maxDaysPerRange > 100) {
      throw new RangeError(
        `maxDaysPerRange must be an integer from 1 to 100 (Athena writes at most 100 partitions per statement), got ${maxDaysPerRange}`,
      );
    }
    this.now = options.now ?? Date.now;
    this.maxDays = maxDaysPerRange;
    this.reserveMs = options.reserveMs ?? 5 * 60_000;
    this.marginMs = options.marginMs ?? 30_000;
  }

  async run(context: RunContext): Promise<RollupRun> {
    if (await this.options.statements.busy()) {
      logger.warn('A query of the rollup workgroup is still running: this run does nothing');
      return { skipped: 'a query of the rollup workgroup is still running', apps: [] };
    }
    const runs: AppRun[] = [];
    for (const appId of await this.options.apps()) runs.push(await this.runApp(appId, context));
    return { apps: runs };
  }

  private hasTime(context: RunContext): boolean {
    return context.remainingMs() >= this.reserveMs;
  }

  private deadline(context: RunContext): number {
    return Date.now() + context.remainingMs() - this.marginMs;
  }

  private async runApp(appId: string, context: RunContext): Promise<AppRun> {
    const { s3, bucket } = this.options;
    const today = Math.floor(this.now() / DAY_MS);
    const yesterday = formatDay(today - 1);
    const lastClosed = formatDay(today - 2);
    const listing = new Map(await listDays(s3, bucket, appId));
    let manifest: RollupManifest = (await readManifest(s3, bucket, appId)) ?? { appId, days: {} };

    const compacted: string[] = [];
    for (const [dt, objects] of [...listing].sort(([a], [b]) => a.localeCompare(b))) {
      if (dt > lastClosed || objects.length < 2) continue;
      if (!this.hasTime(context)) break;
      await this.compact(appId, dt, objects, context);
      compacted.push(dt);
      listing.set(dt, (await listDays(s3, bucket, appId, { from: dt, to: dt })).get(dt) ?? []);
    }

    const candidates = new Set([...listing.keys(), ...Object.keys(manifest.days)]);
    const stale = [...candidates].filter(
      (dt) => dt <= yesterday && !builtFrom(manifest.days[dt], listing.get(dt) ?? []),
    );
    const rebuilt: BuildRange[] = [];
    for (const range of consecutiveRanges(appId, stale, this.maxDays)) {
      if (!this.hasTime(context)) break;
      manifest = await this.rebuild(range, listing, manifest, context);
      rebuilt.push(range);
    }
    const done = new Set(rebuilt.flatMap((r) => [...daysOf(r)]));
    const run = { appId, compacted, rebuilt, pending: stale.filter((dt) => !done.has(dt)).sort() };
    logger.info('rollup job: app done', { ...run });
    return run;
  }

  /** Rebuilds a range's rows and then writes the manifest naming the objects listed before. */
  private async rebuild(
    range: BuildRange,
    listing: DayObjects,
    manifest: RollupManifest,
    context: RunContext,
  ): Promise<RollupManifest> {
    const { statements } = this.options;
    for (const merge of [mergeClientsSql, mergeActivitySql, mergeClientDaysSql, mergeEventStatsSql]) {
      await statements.run(merge(range), this.deadline(context));
    }
    const summaries = await statements.run(daySummarySql(range), this.deadline(context), { rows: true });
    const byDay = new Map(summaries.map((row) => [String(row.dt), row]));
    const days: Record<string, ManifestDay> = { ...manifest.days };
    for (const dt of daysOf(range)) {
      const objects = listing.get(dt) ?? [];
      delete days[dt];
      if (objects.length === 0) continue;
      const summary = byDay.get(dt);
      const latestArrival = toCount(summary?.latest_arrival);
      days[dt] = {
        objects,
        records: toCount(summary?.records) ?? 0,
        ...(latestArrival === undefined ? {} : { latestArrival }),
        version: shortHash(JSON.stringify([context.runId, dt, objects])),
        tables: BUILT_TABLES,
      };
    }
    const next: RollupManifest = { appId: range.appId, days };
    await this.options.s3.send(
      new PutObjectCommand({
        Bucket: this.options.bucket,
        Key: manifestKey(range.appId),
        Body: JSON.stringify(next),
        ContentType: 'application/json',
      }),
    );
    for (const table of ROLLUP_TABLES)
      await statements.run(optimizeSql(table, range), this.deadline(context));
    return next;
  }

  /** Compacts the listed objects of a closed day, in chunks; see the class comment. */
  private async compact(
    appId: string,
    dt: string,
    objects: readonly LakeObject[],
    context: RunContext,
  ): Promise<void> {
    const { bucket, statements } = this.options;
    const partition = partitionPath(appId, dt);
    const pathOf = (key: string) => `s3://${bucket}/${key}`;
    const records = async (keys: readonly string[]) => {
      const of: PartitionObjects = { appId, dt, paths: keys.map(pathOf) };
      const rows = await statements.run(countRecordsSql(of), this.deadline(context), { rows: true });
      return toCount(rows[0]?.records);
    };
    for (const [index, chunk] of chunks(objects, OBJECTS_PER_UNLOAD).entries()) {
      const originals = chunk.map((o) => `${partition}${o.name}`);
      const before = await records(originals);
      const staging = `${COMPACTION_PREFIX}${context.runId}/app_id=${appId}/dt=${dt}/${index}/`;
      await statements.run(
        unloadSql({ appId, dt, paths: originals.map(pathOf) }, pathOf(staging)),
        this.deadline(context),
      );
      const staged = await this.keysUnder(staging);
      const copies = staged.map((_, i) => `${partition}compacted-${context.runId}-${index}-${i}.parquet`);
      try {
        for (const [i, key] of staged.entries()) {
          await this.options.s3.send(
            new CopyObjectCommand({
              Bucket: bucket,
              Key: copies[i],
              CopySource: `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
            }),
          );
        }
        const after = copies.length === 0 ? 0 : await records(copies);
        if (before === undefined || after !== before) {
          throw new Error(
            `Compaction of ${partition}: the copies hold ${after} records, the originals ${before}; the originals are kept`,
          );
        }
      } catch (error) {
        await this.deleteKeys(copies);
        await this.deleteKeys(staged);
        throw error;
      }
      await this.deleteKeys(originals);
      await this.deleteKeys(staged);
    }
  }

  /** The data files an UNLOAD wrote under a prefix. */
  private async keysUnder(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2(
      { client: this.options.s3 },
      { Bucket: this.options.bucket, Prefix: prefix },
    );
    for await (const page of pages) {
      for (const { Key } of page.Contents ?? []) {
        const name = Key?.slice(Key.lastIndexOf('/') + 1) ?? '';
        if (Key && name !== '' && !/^[_.]/.test(name)) keys.push(Key);
      }
    }
    return keys.sort();
  }

  private async deleteKeys(keys: readonly string[]): Promise<void> {
    for (const batch of chunks(keys, KEYS_PER_DELETE)) {
      const result = await this.options.s3.send(
        new DeleteObjectsCommand({
          Bucket: this.options.bucket,
          Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
        }),
      );
      if ((result.Errors ?? []).length > 0) {
        throw new Error(
          `S3 did not delete ${result.Errors?.length} objects, e.g. ${result.Errors?.[0]?.Key}: ${result.Errors?.[0]?.Code}`,
        );
      }
    }
  }
}
