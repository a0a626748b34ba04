import type { EventType } from './kpi-client';
import type { EventField } from './view-state';

/** The Custom events tab's event type, and the metric or attribute charted for it. */
export interface EventChoice {
  readonly event: string;
  readonly field?: EventField;
}

export const sameField = (a: EventField | undefined, b: EventField | undefined) =>
  a !== undefined && b !== undefined && a.kind === b.kind && a.name === b.name;

/**
 * The fields the page offers for an event type: its metrics, numbers by the record's schema
 * (docs/CONTRACT.md §1). Attributes are text, and `GET /apps/{appId}/events` names them without
 * telling which hold numbers, so none is offered or chosen by default; a URL may still name one
 * (the API then aggregates its numeric values, docs/CONTRACT.md §3).
 */
export function fieldsOf(type: EventType | undefined): EventField[] {
  return (type?.metrics ?? []).map((name) => ({ kind: 'metric' as const, name }));
}

/**
 * What the Custom events tab shows, from the event types of the view's app and range:
 * - the event type and field the view names (its URL), even when the range has none of them;
 * - else, after the user switched app, the previous app's event type and field, each only if
 *   this app has it (`carried` tells the page to write them into the URL);
 * - else the first custom type (not `_session.*`...) with a metric, else the first custom type,
 *   else the first, with its first metric.
 */
export function chooseEvent(
  events: readonly EventType[],
  named: { readonly event?: string; readonly field?: EventField },
  previousApp?: EventChoice,
): (EventChoice & { readonly carried: boolean }) | undefined {
  const custom = events.filter((e) => !e.name.startsWith('_'));
  const fallback = (custom.find((e) => e.metrics.length > 0) ?? custom[0] ?? events[0])?.name;
  const kept = events.some((e) => e.name === previousApp?.event) ? previousApp : undefined;
  const event = named.event ?? kept?.event ?? fallback;
  if (event === undefined) return undefined;
  const fields = fieldsOf(events.find((e) => e.name === event));
  const keptField = named.event === undefined && fields.some((f) => sameField(f, kept?.field));
  const field = named.field ?? (keptField ? kept?.field : undefined) ?? fields[0];
  return { event, field, carried: named.event === undefined && kept !== undefined };
}
