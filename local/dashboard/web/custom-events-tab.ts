import { COLORS } from './charts';
import { h, replaceChildren } from './dom';
import { chooseEvent, fieldsOf, sameField } from './event-choice';
import { type EventType, eventPath } from './kpi-client';
import { seriesCard } from './series-card';
import type { ViewContext } from './view-context';
import type { EventField } from './view-state';

const fieldValue = (field: EventField) => `${field.kind}:${field.name}`;

/**
 * The Custom events tab: an event type of the app (from `GET /apps/{appId}/events`, the types
 * sent in the period), its daily count, and for one of its metrics the daily sum and
 * min / avg / max (an attribute only when the URL names it: see {@link fieldsOf}).
 */
export function renderCustomEvents(ctx: ViewContext): void {
  const pickers = h(
    'div',
    { class: 'pickers', 'aria-busy': 'true' },
    h('p', { class: 'loading' }, 'Loading event types…'),
  );
  const grid = h('div', { class: 'grid' });
  ctx.panel.append(pickers, grid);
  void (async () => {
    let events: readonly EventType[];
    try {
      events = (await ctx.eventTypes()).events;
    } catch (err) {
      if (ctx.isCurrent()) {
        pickers.removeAttribute('aria-busy');
        replaceChildren(pickers, h('p', { class: 'error', role: 'alert' }, (err as Error).message));
      }
      return;
    }
    if (!ctx.isCurrent()) return;
    pickers.removeAttribute('aria-busy');
    const choice = chooseEvent(events, ctx.state, ctx.previousAppEvent);
    if (choice === undefined) {
      if (!ctx.appListed) {
        pickers.remove(); // The page already says the app has no events.
        return;
      }
      replaceChildren(
        pickers,
        h('p', { class: 'notice' }, `No events of ${ctx.app} from ${ctx.period.start} to ${ctx.period.end}.`),
      );
      return;
    }
    ctx.showingEvent(choice);
    const { event, field } = choice;
    const type = events.find((e) => e.name === event);
    const names = type ? events.map((e) => e.name) : [event, ...events.map((e) => e.name)];
    const fields = fieldsOf(type);
    const fieldOptions = field && !fields.some((f) => sameField(f, field)) ? [field, ...fields] : fields;

    replaceChildren(
      pickers,
      h(
        'label',
        {},
        'Event type',
        h(
          'select',
          {
            id: 'event-type',
            onchange: (e: Event) =>
              ctx.update({ event: (e.target as HTMLSelectElement).value, field: undefined }),
          },
          ...names.map((name) =>
            h(
              'option',
              { value: name, selected: name === event },
              type || name !== event ? name : `${name} (none in range)`,
            ),
          ),
        ),
      ),
      fieldOptions.length === 0
        ? h(
            'p',
            { class: 'no-metric' },
            `${type ? `${event} events carry no metric` : `No ${event} events`} from ${ctx.period.start} to ${ctx.period.end}: only their count is charted.`,
          )
        : h(
            'label',
            {},
            'Metric',
            h(
              'select',
              {
                id: 'event-field',
                onchange: (e: Event) => {
                  const value = (e.target as HTMLSelectElement).value;
                  ctx.update({ field: fieldOptions.find((f) => fieldValue(f) === value) });
                },
              },
              ...fieldOptions.map((f) =>
                h('option', { value: fieldValue(f), selected: sameField(f, field) }, `${f.kind}: ${f.name}`),
              ),
            ),
          ),
    );

    grid.append(
      seriesCard(ctx, {
        id: 'event-count',
        title: `${event}: count`,
        help: `Distinct ${event} events on the day`,
        format: 'count',
        lines: [{ key: 'count', label: 'Count', paths: [eventPath(event)] }],
      }).element,
    );
    if (!field) return;
    const label = `${field.kind} ${field.name}`;
    grid.append(
      seriesCard(ctx, {
        id: 'event-sum',
        title: `${event}: sum of ${label}`,
        help: `Sum of ${label} over the day’s ${event} events; empty on days without a value`,
        format: 'decimal',
        lines: [{ key: 'sum', label: 'Sum', paths: [eventPath(event, field, 'sum')] }],
      }).element,
      seriesCard(ctx, {
        id: 'event-min-avg-max',
        title: `${event}: min, average and max of ${label}`,
        help: `Smallest, average and largest ${label} of the day’s ${event} events${field.kind === 'attribute' ? ' (numeric values only)' : ''}`,
        format: 'decimal',
        wide: true,
        lines: (['min', 'avg', 'max'] as const).map((aggregate) => ({
          key: aggregate,
          label: aggregate === 'avg' ? 'Average' : aggregate === 'min' ? 'Min' : 'Max',
          color: COLORS[aggregate],
          paths: [eventPath(event, field, aggregate)],
        })),
      }).element,
    );
  })();
}
