import { Card } from './card';
import { csvFilename, toCsv } from './csv';
import { h } from './dom';
import { ratio, sum } from './figures';
import { formatValue } from './format';
import { KPI, RETENTION, type Series } from './kpi-client';
import { type ViewContext, valuesOn } from './view-context';

interface Grid {
  readonly dau: (number | null)[];
  /** Per retention column, per day: the count, null while its window is not over. */
  readonly counts: (number | null)[][];
  readonly answers: Series[];
}

async function load(ctx: ViewContext, which: 'current' | 'previous'): Promise<Grid> {
  const days = which === 'current' ? ctx.days : ctx.previousDays;
  const answers = await Promise.all(
    [KPI.dau, ...RETENTION.map((r) => r.path)].map((p) => ctx.series(p, which)),
  );
  const [dau, ...counts] = answers.map((a) => valuesOn(a, days));
  return { dau: dau ?? [], counts, answers };
}

/** A column's share over the days whose window is over: Σ retained ÷ Σ DAU of those days. */
function columnShare(grid: Grid, column: number): number | null {
  const counts = grid.counts[column] ?? [];
  const finished = counts.flatMap((count, d) => (count === null ? [] : [d]));
  if (finished.length === 0) return null;
  return ratio(sum(finished.map((d) => counts[d] ?? 0)), sum(finished.map((d) => grid.dau[d] ?? 0)));
}

function shareCell(share: number | null, highest: number, title: string, data: Record<string, string>) {
  const cell = h('td', { title, ...data }, share === null ? '' : formatValue(share, 'percent'));
  if (share !== null && highest > 0) {
    const strength = share / highest;
    cell.style.backgroundColor = `rgba(29, 78, 216, ${(0.08 + 0.82 * strength).toFixed(3)})`;
    if (strength > 0.55) cell.style.color = '#fff';
  }
  return cell;
}

/**
 * The Retention tab: a cohort grid, one row per day of the period, a column per retention KPI
 * (day 1, 3, 5, 7, week 1, 2, 3), each cell that KPI as a share of the day's DAU, coloured by
 * its size. Windows not over yet are blank, as the API's nulls; a day without active users has
 * no share either. The last rows are each column's share over the period (and the previous one).
 */
export function renderRetention(ctx: ViewContext): void {
  const card = new Card({
    id: 'retention',
    title: 'Retention by day of first activity',
    help: 'Each cell: users active on the row’s day who were active again N days (or in week N) later, as a share of that day’s DAU. Blank: the window is not over yet.',
    wide: true,
  });
  ctx.panel.append(card.element);
  void (async () => {
    try {
      const current = await load(ctx, 'current');
      const previous = ctx.state.compare ? await load(ctx, 'previous') : undefined;
      if (!ctx.isCurrent()) return;
      const shares = RETENTION.map((_, c) =>
        ctx.days.map((_day, d) => {
          const count = current.counts[c]?.[d] ?? null;
          return count === null ? null : ratio(count, current.dau[d] ?? null);
        }),
      );
      const highest = Math.max(0, ...shares.flat().filter((s): s is number => s !== null));
      const head = h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Day'),
          h('th', { scope: 'col', class: 'number' }, 'DAU'),
          ...RETENTION.map((r) => h('th', { scope: 'col' }, r.label)),
        ),
      );
      const rows = ctx.days.map((day, d) =>
        h(
          'tr',
          { 'data-day': day },
          h('th', { scope: 'row' }, day),
          h('td', { class: 'number' }, formatValue(current.dau[d] ?? null, 'count')),
          ...RETENTION.map((r, c) => {
            const count = current.counts[c]?.[d] ?? null;
            const share = shares[c]?.[d] ?? null;
            const title =
              count === null
                ? `${r.label}: the window is not over yet`
                : `${r.label}: ${count} of ${current.dau[d] ?? 0} users active on ${day}`;
            return shareCell(share, highest, title, {
              'data-column': r.id,
              'data-retained': count === null ? '' : String(count),
              'data-dau': String(current.dau[d] ?? ''),
              'data-share': share === null ? '' : String(share),
            });
          }),
        ),
      );
      const summary = (label: string, grid: Grid) =>
        h(
          'tr',
          { class: 'summary' },
          h('th', { scope: 'row' }, label),
          h('td', { class: 'number' }, ''),
          ...RETENTION.map((r, c) => {
            const share = columnShare(grid, c);
            return h('td', { 'data-column': r.id }, share === null ? '' : formatValue(share, 'percent'));
          }),
        );
      const table = h(
        'table',
        { class: 'cohorts' },
        h(
          'caption',
          { class: 'visually-hidden' },
          `Retention of ${ctx.app}, ${ctx.period.start} to ${ctx.period.end}`,
        ),
        head,
        h('tbody', {}, ...rows),
        h(
          'tfoot',
          {},
          summary('This period', current),
          previous ? summary('Previous period', previous) : null,
        ),
      );
      card.show(
        h(
          'div',
          { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Retention grid' },
          table,
        ),
      );
      card.describe([...current.answers, ...(previous?.answers ?? [])], ctx.state.timezone);
      card.offerCsv(csvFilename(ctx.app, 'retention', ctx.period.start, ctx.period.end), () =>
        toCsv(
          ['date', 'dau', ...RETENTION.flatMap((r) => [`${r.id}_retained`, `${r.id}_share`])],
          ctx.days.map((day, d) => [
            day,
            current.dau[d] ?? null,
            ...RETENTION.flatMap((_, c) => [current.counts[c]?.[d] ?? null, shares[c]?.[d] ?? null]),
          ]),
        ),
      );
    } catch (err) {
      if (ctx.isCurrent()) card.fail(err);
    }
  })();
}
