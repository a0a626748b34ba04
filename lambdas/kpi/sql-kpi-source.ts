import { parseDay } from '../core/calendar-day';
import type { LakeWindow } from '../core/lake-window';
import type { QueryEngine, Row } from '../core/query-engine';
import { namedParameters } from './kpi-parameters';
import type { DayValue, KpiQuery, KpiSeries, KpiSource } from './kpi-source';

/**
 * Answers KPI queries by running their definition's SQL on a query engine (Athena or DuckDB)
 * over a lake, which no query reads before its first day.
 */
export class SqlKpiSource implements KpiSource {
  constructor(
    private readonly engine: QueryEngine,
    private readonly lake: LakeWindow,
  ) {}

  async series(query: KpiQuery): Promise<KpiSeries> {
    const params = namedParameters(query, this.lake).map((p) => p.value);
    const result = await this.engine.query(query.definition.sql.text, params);
    const days = (parseDay(query.endDate) ?? 0) - (parseDay(query.startDate) ?? 0) + 1;
    if (result.rows.length !== days) {
      throw new Error(`${query.definition.path} returned ${result.rows.length} rows for ${days} days`);
    }
    return {
      values: result.rows.map(dayValue),
      ...(result.bytesScanned === undefined ? {} : { bytesScanned: result.bytesScanned }),
      ...(result.reusedResult === undefined ? {} : { cached: result.reusedResult }),
    };
  }
}

function dayValue(row: Row): DayValue {
  const { day, value } = row;
  if (typeof day !== 'string') throw new TypeError(`Expected the day as YYYY-MM-DD text, got ${typeof day}`);
  if (value === null || typeof value === 'number') return { date: day, value };
  if (typeof value === 'bigint') return { date: day, value: Number(value) };
  throw new TypeError(`Expected a numeric value for ${day}, got ${typeof value}`);
}
