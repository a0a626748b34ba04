import uPlot from 'uplot';
import { formatTick, formatValue, type ValueFormat } from './format';

/** Line charts (uPlot) of daily series: full charts with axes and a legend, and sparklines. */

export interface ChartLine {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** The previous period, drawn dashed under the current one. */
  readonly dashed?: boolean;
}

export interface ChartOptions {
  readonly format: ValueFormat;
  /** @default 220, or 44 for a sparkline */
  readonly height?: number;
  /** A sparkline: no axes, legend or cursor. @default false */
  readonly sparkline?: boolean;
}

export const COLORS = {
  current: '#1d4ed8',
  previous: '#9ca3af',
  min: '#0891b2',
  avg: '#1d4ed8',
  max: '#7c3aed',
} as const;

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const secondsOf = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

/** The y range: from 0 (or below, for negative values) to a little above the largest value. */
function yRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  const low = Math.min(0, min ?? 0);
  const high = max === null || max <= low ? low + 1 : max * 1.08;
  return [low, high];
}

/** Keeps the charts of the current view, resizes them with their container, and destroys them on the next view. */
export class Charts {
  private live: { plot: uPlot; observer: ResizeObserver }[] = [];

  draw(
    container: HTMLElement,
    days: readonly string[],
    lines: readonly ChartLine[],
    options: ChartOptions,
  ): uPlot {
    const sparkline = options.sparkline ?? false;
    const height = options.height ?? (sparkline ? 44 : 220);
    const { format } = options;
    const plot = new uPlot(
      {
        width: Math.max(container.clientWidth, 100),
        height,
        tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: { range: yRange } },
        series: [
          {
            label: 'Day',
            value: (_u, seconds) => (seconds === null ? '' : dayFormat.format(seconds * 1000)),
          },
          ...lines.map((line) => ({
            label: line.label,
            stroke: line.color,
            width: sparkline ? 1.5 : 2,
            ...(line.dashed ? { dash: [5, 4] } : {}),
            points: { show: !sparkline && days.length <= 31, size: 5 },
            value: (_u: uPlot, value: number | null) => formatValue(value, format),
          })),
        ],
        axes: sparkline
          ? [{ show: false }, { show: false }]
          : [
              { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#e5e7eb' } },
              {
                stroke: '#4b5563',
                size: 52,
                grid: { stroke: '#e5e7eb' },
                ticks: { stroke: '#e5e7eb' },
                values: (_u, ticks) => ticks.map((t) => formatTick(t, format)),
              },
            ],
        legend: { show: !sparkline },
        cursor: sparkline ? { show: false } : { drag: { x: false, y: false } },
        ...(sparkline ? { padding: [3, 0, 3, 0] as uPlot.Padding } : {}),
      },
      [days.map(secondsOf), ...lines.map((line) => [...line.values])] as uPlot.AlignedData,
      container,
    );
    const observer = new ResizeObserver(() => {
      const width = Math.max(container.clientWidth, 100);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(container);
    this.live.push({ plot, observer });
    return plot;
  }

  destroyAll(): void {
    for (const { plot, observer } of this.live) {
      observer.disconnect();
      plot.destroy();
    }
    this.live = [];
  }
}

/** A one-sentence description of a series for screen readers. */
export function describeSeries(
  label: string,
  days: readonly string[],
  values: readonly (number | null)[],
  format: ValueFormat,
): string {
  const known = values.filter((v): v is number => v !== null);
  if (days.length === 0) return `${label}: no days`;
  const span = `${days.length} days from ${days[0]} to ${days[days.length - 1]}`;
  if (known.length === 0) return `${label}, ${span}: no values`;
  return `${label}, ${span}: lowest ${formatValue(Math.min(...known), format)}, highest ${formatValue(Math.max(...known), format)}, last ${formatValue(values[values.length - 1] ?? null, format)}`;
}
