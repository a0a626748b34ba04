/** How the page writes numbers: the reader's locale, a fixed number of decimals per kind of figure. */

export type ValueFormat = 'count' | 'decimal' | 'percent' | 'amount';

const formats: Record<ValueFormat, Intl.NumberFormat> = {
  count: new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }),
  decimal: new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
  percent: new Intl.NumberFormat(undefined, {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  }),
  amount: new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
};

const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
const compactPercent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });

/** A value for reading; `–` for a value there is none of (null, or a ratio of nothing). */
export function formatValue(value: number | null | undefined, format: ValueFormat): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return formats[format].format(value);
}

/** A value on a chart axis: short. */
export function formatTick(value: number, format: ValueFormat): string {
  return format === 'percent' ? compactPercent.format(value) : compact.format(value);
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** An ISO 8601 instant in the reader's words, in the dashboard's time zone. */
export function formatInstant(iso: string, timeZone: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
      date,
    );
  } catch {
    return date.toISOString();
  }
}
