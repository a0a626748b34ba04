import { parseDay } from '../core/calendar-day';
import type { LakeWindow } from '../core/lake-window';
import type { QueryEngine, Row } from '../core/query-engine';
import { NO_ROLLUPS, type RollupCatalog } from '../core/rollup-catalog';
import { ifNoneMatchNames } from '../http/if-none-match';
import type { KpiCache } from './kpi-cache';
import { planKpi, type TableRead } from './kpi-planner';
import type { DayValue, KpiQuery, KpiSeries, KpiSource, SeriesAnswer, SeriesOptions } from './kpi-source';

/** Tells how many bytes a query's reads amount to, for engines that do not report it (DuckDB). */
export interface ScanSizer {
  bytes(reads: readonly TableRead[]): Promise<number>;
}

/**
 * One state of a lake that changes under queries, fixed for one answer: the rollup catalog
 * decides from it, the engine reads exactly it, and the sizer sizes its files. Released once
 * the answer is computed.
 */
export interface KpiView {
  readonly engine: QueryEngine;
  readonly catalog: RollupCatalog;
  readonly sizer?: ScanSizer;
  release(): void;
}

export interface PlannedKpiSourceOptions {
  readonly engine: QueryEngine;
  /** The lake the engine reads: no query reads a `dt` before its first day. */
  readonly lake: LakeWindow;
  /** Which days have current rollups. @default none: every day from raw events */
  readonly catalog?: RollupCatalog;
  /** Sizes the reads when the engine reports no bytes. @default none: no bytesScanned */
  readonly sizer?: ScanSizer;
  /** Keeps answers that carry an ETag. @default none */
  readonly cache?: KpiCache;
  /**
   * Pins a view per answer, for a lake whose files and rollups change while it is queried (the
   * local lake): the plan and its SQL then see one state. @default `engine`, `catalog` and
   * `sizer` as given
   */
  readonly view?: (appId: string) => Promise<KpiView>;
}

/**
 * Answers KPI queries by planning each over rollups and raw events (`kpi-planner.ts`) and
 * running the planned SQL on a query engine (Athena or DuckDB). An answer that depends only
 * on current rollups carries an ETag, may come from the cache, and lets the engine reuse an
 * earlier result of the same text; any other answer is computed afresh.
 */
export class PlannedKpiSource implements KpiSource {
  private readonly catalog: RollupCatalog;

  constructor(private readonly options: PlannedKpiSourceOptions) {
    this.catalog = options.catalog ?? NO_ROLLUPS;
  }

  async series(query: KpiQuery, options: SeriesOptions = {}): Promise<SeriesAnswer> {
    const view = (await this.options.view?.(query.appId)) ?? {
      engine: this.options.engine,
      catalog: this.catalog,
      sizer: this.options.sizer,
      release: () => undefined,
    };
    try {
      return await this.answer(query, options, view);
    } finally {
      view.release();
    }
  }

  private async answer(query: KpiQuery, options: SeriesOptions, view: KpiView): Promise<SeriesAnswer> {
    const planned = await planKpi(query, view.catalog, this.options.lake);
    const { etag } = planned;
    if (etag !== undefined && ifNoneMatchNames(options.ifNoneMatch, etag)) return { notModified: true, etag };
    const known = etag === undefined ? undefined : this.options.cache?.get(etag);
    if (known) return { ...known, engineMs: 0, cached: true };
    const started = performance.now();
    const result = await view.engine.query(planned.sql, planned.params, {
      reusable: etag !== undefined,
    });
    const engineMs = result.engineMs ?? Math.round(performance.now() - started);
    const days = (parseDay(query.endDate) ?? 0) - (parseDay(query.startDate) ?? 0) + 1;
    if (result.rows.length !== days) {
      throw new Error(`${query.definition.path} returned ${result.rows.length} rows for ${days} days`);
    }
    const rawArrival = result.rows[0]?.latest_arrival;
    const arrivals = [planned.rollupLatestArrival, rawArrival === null ? undefined : toNumber(rawArrival)];
    const included = arrivals.filter((a): a is number => a !== undefined);
    const bytesScanned = result.bytesScanned ?? (await view.sizer?.bytes(planned.reads));
    const series: KpiSeries = {
      values: result.rows.map(dayValue),
      source: planned.sources,
      engineMs,
      ...(bytesScanned === undefined ? {} : { bytesScanned }),
      ...(included.length === 0 ? {} : { freshness: Math.max(...included) }),
      ...(etag === undefined ? {} : { etag }),
      ...(result.reusedResult === undefined ? {} : { cached: result.reusedResult }),
    };
    if (etag !== undefined) this.options.cache?.set(etag, series);
    return series;
  }
}

function toNumber(value: Row[string] | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

function dayValue(row: Row): DayValue {
  const { day, value } = row;
  if (typeof day !== 'string') throw new TypeError(`Expected the day as YYYY-MM-DD text, got ${typeof day}`);
  if (value === null || typeof value === 'number') return { date: day, value };
  if (typeof value === 'bigint') return { date: day, value: Number(value) };
  throw new TypeError(`Expected a numeric value for ${day}, got ${typeof value}`);
}
