import { formatDay } from '../../../lambdas/core/calendar-day';
import { Card } from './card';
import { COLORS, describeSeries } from './charts';
import { csvFilename, toCsv } from './csv';
import { h, replaceChildren } from './dom';
import { change, FIGURES, type FigureDefinition, OVERVIEW_KPIS, type OverviewInputs } from './figures';
import { formatValue } from './format';
import type { Series } from './kpi-client';
import { describePeriod, todayIn } from './periods';
import { type ViewContext, valuesOn } from './view-context';

type Inputs = { inputs: OverviewInputs; answers: Series[] };

async function load(ctx: ViewContext, which: 'current' | 'previous'): Promise<Inputs> {
  const days = which === 'current' ? ctx.days : ctx.previousDays;
  const keys = Object.keys(OVERVIEW_KPIS) as (keyof OverviewInputs)[];
  const answers = await Promise.all(keys.map((key) => ctx.series(OVERVIEW_KPIS[key], which)));
  const inputs = Object.fromEntries(keys.map((key, i) => [key, valuesOn(answers[i] as Series, days)]));
  return { inputs: inputs as unknown as OverviewInputs, answers };
}

function changeText(definition: FigureDefinition, delta: number | null): { text: string; trend: string } {
  if (delta === null) return { text: '–', trend: 'flat' };
  const trend = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
  const arrow = delta > 0 ? '▲' : delta < 0 ? '▼' : '■';
  const amount =
    definition.change === 'points'
      ? `${(Math.abs(delta) * 100).toFixed(1)} pp`
      : formatValue(Math.abs(delta), 'percent');
  return { text: `${arrow} ${amount}`, trend };
}

/**
 * The Overview: the nine headline figures for the period, each with its change against the
 * previous period of the same length, and a sparkline of its daily values.
 */
export function renderOverview(ctx: ViewContext): void {
  const note = h('div', { class: 'notice', hidden: true });
  const grid = h('div', { class: 'grid figures' });
  const cards = FIGURES.map((definition) => {
    const card = new Card({ id: definition.id, title: definition.label, help: definition.help });
    grid.append(card.element);
    return card;
  });
  ctx.panel.append(note, grid);
  void (async () => {
    try {
      const [current, previous] = await Promise.all([load(ctx, 'current'), load(ctx, 'previous')]);
      if (!ctx.isCurrent()) return;
      if (current.inputs.dau.every((v) => !v) && current.inputs.sessions.every((v) => !v)) {
        note.hidden = false;
        const today = todayIn(ctx.state.timezone, Date.now());
        replaceChildren(
          note,
          `No sessions of ${ctx.app} from ${ctx.period.start} to ${ctx.period.end} (${ctx.state.timezone}). The presets end yesterday; events sent today show in a range that ends today. `,
          h(
            'button',
            {
              type: 'button',
              onclick: () =>
                ctx.update({ range: 'custom', start: formatDay(today - 6), end: formatDay(today) }),
            },
            'Show the last 7 days up to today',
          ),
        );
      }
      const previousLabel = `vs ${describePeriod(ctx.previous)}`;
      FIGURES.forEach((definition, i) => {
        const card = cards[i] as Card;
        const value = definition.value(current.inputs);
        const before = definition.value(previous.inputs);
        const delta = change(value, before, definition.change);
        const { text, trend } = changeText(definition, delta);
        const daily = definition.daily(current.inputs);
        const previousDaily = definition.daily(previous.inputs);
        const spark = h('div', {
          class: 'sparkline',
          role: 'img',
          'aria-label': describeSeries(definition.label, ctx.days, daily, definition.format),
        });
        card.show(
          h(
            'p',
            {
              class: 'figure-value',
              'data-figure': definition.id,
              'data-value': value === null ? '' : String(value),
              'data-previous': before === null ? '' : String(before),
            },
            formatValue(value, definition.format),
          ),
          h(
            'p',
            { class: `change ${trend}`, 'data-change': delta === null ? '' : String(delta) },
            text,
            h('span', { class: 'quiet' }, ` ${previousLabel} (${formatValue(before, definition.format)})`),
          ),
          spark,
        );
        ctx.charts.draw(
          spark,
          ctx.days,
          [
            ...(ctx.state.compare
              ? [{ label: 'Previous period', values: previousDaily, color: COLORS.previous, dashed: true }]
              : []),
            { label: definition.label, values: daily, color: COLORS.current },
          ],
          { format: definition.format, sparkline: true },
        );
        card.offerCsv(csvFilename(ctx.app, definition.id, ctx.period.start, ctx.period.end), () =>
          toCsv(
            ['date', definition.id, 'previous_date', `previous_${definition.id}`],
            ctx.days.map((day, d) => [day, daily[d] ?? null, ctx.previousDays[d], previousDaily[d] ?? null]),
          ),
        );
      });
    } catch (err) {
      if (ctx.isCurrent()) for (const card of cards) card.fail(err);
    }
  })();
}
