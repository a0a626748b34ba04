import { formatDay } from '../../../lambdas/core/calendar-day';
import { Card } from './card';
import { COLORS, describeSeries } from './charts';
import { csvFilename, toCsv } from './csv';
import { h, replaceChildren } from './dom';
import { change, FIGURES, type FigureDefinition, OVERVIEW_KPIS, type OverviewInputs } from './figures';
import { formatValue } from './format';
import { describePeriod, todayIn } from './periods';
import { type ViewContext, valuesOn } from './view-context';

type Values = readonly (number | null)[];
/** Each input's daily values, asked for separately: one failing KPI fails only the figures that read it. */
type Loads = Record<keyof OverviewInputs, Promise<Values>>;

function load(ctx: ViewContext, which: 'current' | 'previous'): Loads {
  const days = which === 'current' ? ctx.days : ctx.previousDays;
  const keys = Object.keys(OVERVIEW_KPIS) as (keyof OverviewInputs)[];
  return Object.fromEntries(
    keys.map((key) => [key, ctx.series(OVERVIEW_KPIS[key], which).then((answer) => valuesOn(answer, days))]),
  ) as Loads;
}

/** The inputs a figure reads, once they answered; rejects with the first failed answer's error. */
async function inputsOf(loads: Loads, definition: FigureDefinition): Promise<OverviewInputs> {
  const values = await Promise.all(definition.inputs.map((key) => loads[key]));
  return Object.fromEntries(definition.inputs.map((key, i) => [key, values[i]])) as unknown as OverviewInputs;
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

/** A figure's card: its value, its change against the previous period, its sparkline and its CSV. */
function showFigure(
  ctx: ViewContext,
  card: Card,
  definition: FigureDefinition,
  current: OverviewInputs,
  previous: OverviewInputs,
  previousLabel: string,
): void {
  const value = definition.value(current);
  const before = definition.value(previous);
  const delta = change(value, before, definition.change);
  const { text, trend } = changeText(definition, delta);
  const daily = definition.daily(current);
  const previousDaily = definition.daily(previous);
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
  const current = load(ctx, 'current');
  const previous = load(ctx, 'previous');
  void (async () => {
    let dau: Values;
    let sessions: Values;
    try {
      [dau, sessions] = await Promise.all([current.dau, current.sessions]);
    } catch {
      return; // The cards that read them say why.
    }
    if (!ctx.isCurrent() || !ctx.appListed || !(dau.every((v) => !v) && sessions.every((v) => !v))) return;
    note.hidden = false;
    const today = todayIn(ctx.state.timezone, Date.now());
    replaceChildren(
      note,
      `No sessions of ${ctx.app} from ${ctx.period.start} to ${ctx.period.end} (${ctx.state.timezone}). The presets end yesterday; events sent today show in a range that ends today. `,
      h(
        'button',
        {
          type: 'button',
          onclick: () => ctx.update({ range: 'custom', start: formatDay(today - 6), end: formatDay(today) }),
        },
        'Show the last 7 days up to today',
      ),
    );
  })();
  const previousLabel = `vs ${describePeriod(ctx.previous)}`;
  FIGURES.forEach((definition, i) => {
    const card = cards[i] as Card;
    void (async () => {
      try {
        const [inputs, previousInputs] = await Promise.all([
          inputsOf(current, definition),
          inputsOf(previous, definition),
        ]);
        if (!ctx.isCurrent()) return;
        showFigure(ctx, card, definition, inputs, previousInputs, previousLabel);
      } catch (err) {
        if (ctx.isCurrent()) card.fail(err);
      }
    })();
  });
}
