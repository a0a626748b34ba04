import { createHash } from 'node:crypto';
import { formatDay, parseDay } from '../core/calendar-day';
import type { LakeWindow } from '../core/lake-window';
import type { SqlParam } from '../core/query-engine';
import type { DtRange, RollupCatalog, RollupCoverage } from '../core/rollup-catalog';
import { DAY_MS } from '../core/time';
import {
  datesMoveForward,
  localDayStart,
  quarterAligned,
  sameAsUtcDay,
  type ZoneOffsets,
  zoneOffsets,
} from '../core/zone-offsets';
import {
  ROLLUP_ACTIVITY,
  ROLLUP_CLIENT_DAYS,
  ROLLUP_CLIENTS,
  ROLLUP_EVENT_STATS,
} from '../rollups/rollup-tables';
import { sqlParameters } from './kpi-parameters';
import type { KpiQuery, KpiRange } from './kpi-source';
import { type KpiSpan, kpiSpan, kpiSql } from './sql/kpi-sql';
import type { LocalDays } from './sql/local-day-sql';
import type { FirstKind } from './sql/relations';
import type { DayRange, SourcePlan } from './sql/source-plan';
import { bound, sql } from './sql/sql-text';

/**
 * The planner: for one KPI query, which UTC days are read from rollups and which from raw events,
 * and the SQL that follows (docs/ROLLUPS.md, ADR 018). A day is read from its rollup when the
 * rollup catalog says it is current, from raw events when it is not (today, a day with late
 * events since its rollup, a day never rolled up), and every day is read from raw events when
 * the requested zone's offsets over the days are not whole quarter-hours. A rollup day that is
 * one local day (the zone's offset is 0 all day, as in UTC) reads its activity from
 * `rollup_client_days`, the others from `rollup_activity` (ADR 025). Local days come from the
 * zone's offsets, read once here.
 */

/** A table the query reads, for what it costs: which days and which columns. */
export interface TableRead {
  /** `events` or a rollup table. */
  readonly table: string;
  readonly appId: string;
  /** UTC days read; none for `rollup_clients`, which is one per app. */
  readonly days: readonly DtRange[];
  /** Columns read, nested ones as `parent.child`. */
  readonly columns: readonly string[];
}

export interface PlannedKpi {
  readonly sql: string;
  readonly params: readonly SqlParam[];
  /** The requested dates whose value came from rollups only, and the others. */
  readonly sources: { readonly rollup: readonly string[]; readonly raw: readonly string[] };
  /** Set when every day read came from a current rollup: the answer is the same until they change. */
  readonly etag?: string;
  /** The latest arrival_timestamp among the events of the rollups read. */
  readonly rollupLatestArrival?: number;
  readonly reads: readonly TableRead[];
}

const LAST_DAY = parseDay('9999-12-31') as number;

export interface DayNumbers {
  readonly from: number;
  readonly to: number;
}

function dayOf(date: string): number {
  const day = parseDay(date);
  if (day === undefined) throw new TypeError(`Not a calendar day: ${date}`);
  return day;
}

const numbers = (range: DtRange): DayNumbers => ({
  from: range.from === undefined ? Number.NEGATIVE_INFINITY : dayOf(range.from),
  to: dayOf(range.to),
});

const dtRange = ({ from, to }: DayNumbers): DtRange =>
  Number.isFinite(from) ? { from: formatDay(from), to: formatDay(to) } : { to: formatDay(to) };

function clip(ranges: readonly DtRange[], within: DayNumbers): DayNumbers[] {
  return ranges
    .map(numbers)
    .map((r) => ({ from: Math.max(r.from, within.from), to: Math.min(r.to, within.to) }))
    .filter((r) => r.from <= r.to);
}

/** The days of `within` outside the (ordered, disjoint) ranges. */
function outside(ranges: readonly DayNumbers[], within: DayNumbers): DayNumbers[] {
  const gaps: DayNumbers[] = [];
  let next = within.from;
  for (const range of ranges) {
    if (range.from > next) gaps.push({ from: next, to: range.from - 1 });
    next = Math.max(next, range.to + 1);
  }
  if (next <= within.to) gaps.push({ from: next, to: within.to });
  return gaps;
}

const touches = (ranges: readonly DtRange[], days: DayNumbers) => clip(ranges, days).length > 0;

/** The days of the ranges split by a test, each side as ranges in order. */
function partition(
  ranges: readonly DayNumbers[],
  test: (day: number) => boolean,
): { readonly yes: DayNumbers[]; readonly no: DayNumbers[] } {
  const sides = { yes: [] as DayNumbers[], no: [] as DayNumbers[] };
  for (const range of ranges) {
    for (let day = range.from; day <= range.to; day++) {
      const side = test(day) ? sides.yes : sides.no;
      const last = side.at(-1);
      if (last && last.to === day - 1) side[side.length - 1] = { from: last.from, to: day };
      else side.push({ from: day, to: day });
    }
  }
  return sides;
}

/** Whether every day of the range passes the test. */
function everyDay(range: DayNumbers, test: (day: number) => boolean): boolean {
  for (let day = range.from; day <= range.to; day++) if (!test(day)) return false;
  return true;
}

const asSql = (ranges: readonly DayNumbers[]): DayRange[] =>
  ranges.map(dtRange).map(({ from, to }) => ({
    ...(from === undefined ? {} : { from: sql`${bound(from)}` }),
    to: sql`${bound(to)}`,
  }));

/** The UTC days that hold the instants of local days `first` to `last`. */
function utcDaysOf(offsets: ZoneOffsets, forward: boolean, first: number, last: number): DayNumbers {
  if (!forward) return { from: first - 1, to: Math.min(last + 1, LAST_DAY) };
  const start = localDayStart(offsets, first);
  const end = last >= LAST_DAY ? (LAST_DAY + 1) * DAY_MS : localDayStart(offsets, last + 1);
  return { from: Math.floor(start / DAY_MS), to: Math.min(Math.floor((end - 1) / DAY_MS), LAST_DAY) };
}

function reads(query: KpiQuery, plan: Plan): TableRead[] {
  const { reads: needs } = query.definition.formula;
  const { appId } = query;
  const list: TableRead[] = [];
  const rawRead = (days: readonly DayNumbers[], columns: string[]) => {
    if (days.length > 0) list.push({ table: 'events', appId, days: days.map(dtRange), columns });
  };
  const rollupRead = (table: string, columns: string[], days = plan.spanRollup) => {
    if (days.length > 0) list.push({ table, appId, days: days.map(dtRange), columns });
  };
  const mixed =
    plan.rollups && (plan.spanRaw.length > 0 || (plan.span.history && plan.historyRaw.length > 0));
  if (mixed) list.push({ table: ROLLUP_CLIENTS.name, appId, days: [], columns: ['client_id', 'client_key'] });
  if (needs.activity) {
    rollupRead(ROLLUP_CLIENT_DAYS.name, ['client_key'], plan.clientDays);
    rollupRead(ROLLUP_ACTIVITY.name, ['client_key', 'quarter'], plan.quarterDays);
    rawRead(plan.spanRaw, ['client.client_id', 'event_type', 'event_timestamp']);
  }
  if (needs.firstSeen) {
    const quarters: Record<FirstKind, string> = {
      event: 'first_event_quarter',
      session: 'first_session_quarter',
      purchase: 'first_purchase_quarter',
    };
    if (plan.rollups) {
      list.push({
        table: ROLLUP_CLIENTS.name,
        appId,
        days: [],
        columns: ['client_key', ...needs.firstSeen.map((kind) => quarters[kind])],
      });
    }
    rawRead(plan.historyRaw, ['client.client_id', 'event_type', 'event_timestamp']);
  }
  if (needs.eventStats) {
    const { measure } = needs.eventStats;
    rollupRead(
      ROLLUP_EVENT_STATS.name,
      ROLLUP_EVENT_STATS.columns.map((c) => c.name),
    );
    rawRead(plan.spanRaw, [
      'client.client_id',
      'event_id',
      'event_type',
      'event_timestamp',
      ...(measure === 'events' ? [] : [measure.map]),
    ]);
  }
  rawRead(plan.spanRaw, ['arrival_timestamp']);
  return list;
}

interface Plan {
  readonly span: KpiSpan;
  readonly spanRaw: readonly DayNumbers[];
  readonly spanRollup: readonly DayNumbers[];
  /** Of the rollup days, those that are one local day (activity from `rollup_client_days`), and the others. */
  readonly clientDays: readonly DayNumbers[];
  readonly quarterDays: readonly DayNumbers[];
  readonly historyRaw: readonly DayNumbers[];
  readonly rollups: boolean;
}

/** The local days a request looks at, the UTC days holding them, and how SQL finds an instant's local day. */
export interface RequestDays {
  readonly firstLocal: number;
  readonly lastLocal: number;
  /** The UTC days (day numbers) holding those local days, none before the lake's first. */
  readonly utcSpan: DayNumbers;
  readonly localDays: LocalDays;
  /** Whether quarter-hour rollups give those local days exactly. */
  readonly aligned: boolean;
  readonly offsets: ZoneOffsets;
  readonly forward: boolean;
}

/** The days of a request on a lake, `span` days before and after its range. */
export function requestDays(range: KpiRange, span: KpiSpan, lake: LakeWindow): RequestDays {
  const firstLocal = dayOf(range.startDate) - span.daysBefore;
  const lastLocal = Math.min(dayOf(range.endDate) + span.daysAfter, LAST_DAY);
  const offsets = zoneOffsets(
    range.timezone,
    (firstLocal - 2) * DAY_MS,
    (Math.min(lastLocal + 2, LAST_DAY) + 1) * DAY_MS - 1,
  );
  const forward = datesMoveForward(offsets);
  const lakeStart = dayOf(lake.startDate);
  const needed = utcDaysOf(offsets, forward, firstLocal, lastLocal);
  const utcSpan = { from: Math.max(needed.from, lakeStart), to: Math.max(needed.to, lakeStart) };
  const firstMs = utcSpan.from * DAY_MS;
  return {
    firstLocal,
    lastLocal,
    utcSpan,
    localDays: {
      segments: offsets.segments.filter(
        (segment, i) =>
          segment.fromMs <= (utcSpan.to + 1) * DAY_MS &&
          (offsets.segments[i + 1]?.fromMs ?? Number.POSITIVE_INFINITY) > firstMs,
      ),
      fromMs: firstMs,
      beforeDay: firstLocal - 1,
    },
    aligned: quarterAligned(offsets),
    offsets,
    forward,
  };
}

/** A range of UTC days as a SQL `DayRange` of bound values. */
export function boundDays(range: DayNumbers): DayRange {
  const [rendered] = asSql([range]);
  if (!rendered) throw new Error('No days');
  return rendered;
}

/**
 * Plans a KPI query on a lake: its SQL and values, where each day comes from, and what it reads.
 * No day before the lake's first is read (none holds events).
 */
export async function planKpi(
  query: KpiQuery,
  catalog: RollupCatalog,
  lake: LakeWindow,
): Promise<PlannedKpi> {
  const { definition } = query;
  const span = kpiSpan(definition.formula.reads);
  const start = dayOf(query.startDate);
  const end = dayOf(query.endDate);
  const days = requestDays(query, span, lake);
  const { firstLocal, lastLocal, utcSpan, aligned, offsets, forward } = days;
  const lakeStart = dayOf(lake.startDate);
  const requested: DtRange = dtRange(span.history ? { from: lakeStart, to: utcSpan.to } : utcSpan);
  const coverage: RollupCoverage = aligned
    ? await catalog.coverage(query.appId, requested)
    : { raw: [requested], version: 'raw' };
  const spanRaw = clip(coverage.raw, utcSpan);
  const history = { from: lakeStart, to: utcSpan.to };
  const historyRaw = span.history ? clip(coverage.raw, history) : [];
  const spanRollup = outside(spanRaw, utcSpan);
  const rollupsForHistory = span.history && outside(historyRaw, history).length > 0;
  const rollups = aligned && (spanRollup.length > 0 || rollupsForHistory);
  const oneLocalDay = (day: number) => sameAsUtcDay(offsets, day);
  const { yes: clientDays, no: quarterDays } = rollups
    ? partition(spanRollup, oneLocalDay)
    : { yes: [], no: [] };
  const plan: Plan = { span, spanRaw, spanRollup, clientDays, quarterDays, historyRaw, rollups };
  const cacheable = rollups && spanRaw.length === 0 && historyRaw.length === 0;
  const sourcePlan: SourcePlan = {
    localDays: days.localDays,
    raw: asSql(spanRaw),
    rollup: rollups ? asSql(spanRollup) : [],
    clientDays: asSql(clientDays),
    quarterDays: asSql(quarterDays),
    rawHistory: asSql(historyRaw),
    rollups,
    activityDays: lastLocal - firstLocal + 1,
    distinctActivity: everyDay(utcSpan, oneLocalDay),
    ...(cacheable ? { cacheVersion: coverage.version } : {}),
  };
  const text = kpiSql(definition.formula, sourcePlan);
  const sources = { rollup: [] as string[], raw: [] as string[] };
  for (let day = start; day <= end; day++) {
    const days = utcDaysOf(offsets, forward, day - span.daysBefore, Math.min(day + span.daysAfter, LAST_DAY));
    const fromRaw = !rollups || touches(coverage.raw, span.history ? { from: lakeStart, to: days.to } : days);
    (fromRaw ? sources.raw : sources.rollup).push(formatDay(day));
  }
  return {
    sql: text.text,
    params: sqlParameters(text, span, query, lake, definition.path).map((p) => p.value),
    sources,
    ...(cacheable ? { etag: etagOf(query, coverage.version) } : {}),
    ...(rollups && coverage.latestArrival !== undefined
      ? { rollupLatestArrival: coverage.latestArrival }
      : {}),
    reads: reads(query, plan),
  };
}

function etagOf(query: KpiQuery, version: string): string {
  const key = JSON.stringify([
    query.definition.path,
    query.appId,
    query.names,
    query.startDate,
    query.endDate,
    query.timezone,
    query.lastCompleteDate,
    version,
  ]);
  return `"${createHash('sha256').update(key).digest('base64url').slice(0, 27)}"`;
}
