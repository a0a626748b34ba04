import type { Charts } from './charts';
import type { EventChoice } from './event-choice';
import type { EventTypes, KpiClient, Series } from './kpi-client';
import type { Period } from './periods';
import type { ViewState } from './view-state';

/** Everything a tab needs to draw one view: the state, its periods, the API and the charts. */
export interface ViewContext {
  readonly state: ViewState;
  readonly app: string;
  readonly period: Period;
  /** The same number of days just before {@link period}. */
  readonly previous: Period;
  readonly days: readonly string[];
  readonly previousDays: readonly string[];
  readonly client: KpiClient;
  readonly charts: Charts;
  /** The tab panel to draw into (emptied for each view). */
  readonly panel: HTMLElement;
  readonly mode: 'local' | 'deployed';
  /** False when `GET /apps` does not list the app: the page says it has no events yet, and tabs need not repeat it. */
  readonly appListed: boolean;
  /** False once the user changed the view: late answers must not draw. */
  isCurrent(): boolean;
  /** A KPI's answer for the view's period or the previous one, counted in the view's summary. */
  series(path: string, which?: 'current' | 'previous'): Promise<Series>;
  eventTypes(): Promise<EventTypes>;
  /** Custom events: what it showed for the app the user just switched from, if anything. */
  readonly previousAppEvent?: EventChoice;
  /** Custom events: what it shows; a choice carried over from the previous app goes into the URL. */
  showingEvent(choice: EventChoice & { readonly carried: boolean }): void;
  /** Changes the view (e.g. a picker inside a tab). */
  update(change: Partial<ViewState>): void;
}

/** A series' values on the given days, by date (null for a day the answer lacks). */
export function valuesOn(series: Series, days: readonly string[]): (number | null)[] {
  const byDate = new Map(series.values.map((v) => [v.date, v.value]));
  return days.map((day) => byDate.get(day) ?? null);
}
