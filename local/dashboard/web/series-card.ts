import { Card } from './card';
import { COLORS, describeSeries } from './charts';
import { csvFilename, toCsv } from './csv';
import { h } from './dom';
import type { ValueFormat } from './format';
import type { Series } from './kpi-client';
import { type ViewContext, valuesOn } from './view-context';

/** One line of a chart: the KPI answers it is computed from, and how. */
export interface LineSpec {
  /** Its CSV column. */
  readonly key: string;
  readonly label: string;
  readonly color?: string;
  /** KPI paths below the app, whose answers {@link values} combines; one path: its values as they are. */
  readonly paths: readonly string[];
  readonly values?: (answers: readonly (readonly (number | null)[])[]) => (number | null)[];
}

export interface SeriesCardSpec {
  readonly id: string;
  readonly title: string;
  readonly help: string;
  readonly format: ValueFormat;
  readonly lines: readonly LineSpec[];
  readonly wide?: boolean;
}

async function lineValues(
  ctx: ViewContext,
  line: LineSpec,
  which: 'current' | 'previous',
): Promise<{ values: (number | null)[]; answers: Series[] }> {
  const days = which === 'current' ? ctx.days : ctx.previousDays;
  const answers = await Promise.all(line.paths.map((path) => ctx.series(path, which)));
  const inputs = answers.map((answer) => valuesOn(answer, days));
  return { values: line.values ? line.values(inputs) : (inputs[0] ?? []), answers };
}

/**
 * A card with a line chart of daily series for the view's period, the previous period dashed
 * under it when comparing, and the series as CSV (`date`, one column per line, then the
 * previous period's dates and values).
 */
export function seriesCard(ctx: ViewContext, spec: SeriesCardSpec): Card {
  const card = new Card({ id: spec.id, title: spec.title, help: spec.help, wide: spec.wide });
  void (async () => {
    try {
      const current = await Promise.all(spec.lines.map((line) => lineValues(ctx, line, 'current')));
      const previous = ctx.state.compare
        ? await Promise.all(spec.lines.map((line) => lineValues(ctx, line, 'previous')))
        : [];
      if (!ctx.isCurrent()) return;
      const csvName = csvFilename(ctx.app, spec.id, ctx.period.start, ctx.period.end);
      const csv = () =>
        toCsv(
          [
            'date',
            ...spec.lines.map((l) => l.key),
            ...(previous.length > 0 ? ['previous_date', ...spec.lines.map((l) => `previous_${l.key}`)] : []),
          ],
          ctx.days.map((day, d) => [
            day,
            ...current.map((c) => c.values[d] ?? null),
            ...(previous.length > 0
              ? [ctx.previousDays[d], ...previous.map((p) => p.values[d] ?? null)]
              : []),
          ]),
        );
      card.describe(
        [...current, ...previous].flatMap((l) => l.answers),
        ctx.state.timezone,
      );
      card.offerCsv(csvName, csv);
      if (current.every((c) => c.values.every((v) => v === null))) {
        card.show(h('p', { class: 'empty' }, 'No values on these days.'));
        return;
      }
      const chart = h('div', {
        class: 'chart',
        role: 'img',
        'aria-label': spec.lines
          .map((line, i) =>
            describeSeries(`${spec.title}: ${line.label}`, ctx.days, current[i]?.values ?? [], spec.format),
          )
          .join('. '),
      });
      card.show(chart);
      const lines = [
        ...previous.map((p, i) => ({
          label: `${spec.lines[i]?.label ?? ''} (previous period)`,
          values: p.values,
          color: COLORS.previous,
          dashed: true,
        })),
        ...current.map((c, i) => ({
          label: spec.lines[i]?.label ?? '',
          values: c.values,
          color: spec.lines[i]?.color ?? COLORS.current,
        })),
      ];
      ctx.charts.draw(chart, ctx.days, lines, { format: spec.format });
    } catch (err) {
      if (ctx.isCurrent()) card.fail(err);
    }
  })();
  return card;
}
