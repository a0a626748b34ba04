import { formatDay, isTimeZoneName } from '../../../lambdas/core/calendar-day';
import { type AnswerMeta, describeView } from './answer-meta';
import { Charts } from './charts';
import { renderCustomEvents } from './custom-events-tab';
import { h, replaceChildren } from './dom';
import { sendEventHint } from './empty-state';
import type { EventChoice } from './event-choice';
import { KpiClient } from './kpi-client';
import { renderOverview } from './overview-tab';
import {
  currentPeriod,
  customRangeProblem,
  daysOf,
  describePeriod,
  previousPeriod,
  todayIn,
} from './periods';
import { renderRetention } from './retention-tab';
import { seriesCard } from './series-card';
import { ACTIVE_USERS, REVENUE, SESSIONS } from './series-tabs';
import type { ViewContext } from './view-context';
import { RANGES, readState, TABS, type TabId, type ViewState, writeState } from './view-state';

export type DashboardMode = 'local' | 'deployed';

const RANGE_LABELS: Record<(typeof RANGES)[number], string> = {
  '7': 'Last 7 days',
  '30': 'Last 30 days',
  '90': 'Last 90 days',
  custom: 'Custom range',
};

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function timeZoneNames(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return ['UTC', ...(intl.supportedValuesOf?.('timeZone') ?? [])];
}

/**
 * The page: controls (app, range, time zone, comparison), the tabs and the view of the chosen
 * tab. The state lives in the URL; every change pushes a history entry and draws the view again
 * (answers already fetched are reused).
 */
export class Dashboard {
  private state: ViewState;
  /** The apps of `GET /apps`; undefined until it answers. */
  private apps?: readonly string[];
  private generation = 0;
  private readonly client = new KpiClient();
  private readonly charts = new Charts();
  private readonly answers = new Set<AnswerMeta>();
  /** What the Custom events tab last showed, and what it showed before the user switched app. */
  private shownEvent?: EventChoice;
  private previousAppEvent?: EventChoice;

  private readonly appSelect = h('select', {
    id: 'app-select',
    onchange: () => this.changeApp(),
  });
  private readonly rangeSelect = h(
    'select',
    { id: 'range', onchange: () => this.changeRange() },
    ...RANGES.map((r) => h('option', { value: r }, RANGE_LABELS[r])),
  );
  private readonly startInput = h('input', {
    id: 'start',
    type: 'date',
    'aria-describedby': 'range-error',
    onchange: () => this.changeDays(),
  });
  private readonly endInput = h('input', {
    id: 'end',
    type: 'date',
    'aria-describedby': 'range-error',
    onchange: () => this.changeDays(),
  });
  private readonly rangeError = h('p', { id: 'range-error', class: 'error', role: 'alert', hidden: true });
  private readonly customDays = h(
    'span',
    { class: 'custom-days' },
    h('label', {}, 'From', this.startInput),
    h('label', {}, 'To', this.endInput),
  );
  private readonly zoneInput = h('input', {
    id: 'timezone',
    type: 'text',
    list: 'time-zones',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'timezone-error',
    onchange: () => this.changeZone(),
  });
  private readonly zoneError = h('p', { id: 'timezone-error', class: 'error', role: 'alert', hidden: true });
  private readonly compareBox = h('input', {
    id: 'compare',
    type: 'checkbox',
    onchange: () => this.update({ compare: this.compareBox.checked }),
  });
  private readonly periodLine = h('p', { class: 'period', 'aria-live': 'polite' });
  private readonly tabList = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
  private readonly tabButtons = TABS.map((tab) =>
    h(
      'button',
      {
        type: 'button',
        role: 'tab',
        id: `tab-${tab.id}`,
        'aria-controls': 'panel',
        'data-tab': tab.id,
        onclick: () => this.update({ tab: tab.id }),
        onkeydown: (e: Event) => this.moveTab(e as KeyboardEvent),
      },
      tab.label,
    ),
  );
  private readonly panel = h('main', { id: 'panel', role: 'tabpanel', tabindex: 0 });
  private readonly summary = h('span', { class: 'summary' });

  constructor(
    private readonly root: HTMLElement,
    private readonly mode: DashboardMode,
  ) {
    this.state = readState(location.search, browserTimeZone());
  }

  async start(): Promise<void> {
    this.tabList.append(...this.tabButtons);
    replaceChildren(
      this.root,
      h(
        'header',
        { class: 'top' },
        h('h1', {}, 'Mobile KPIs'),
        h(
          'span',
          { class: 'quiet' },
          this.mode === 'deployed' ? 'deployed stack, through the signing proxy' : 'local',
        ),
      ),
      h(
        'form',
        { class: 'controls', 'aria-label': 'View settings', onsubmit: (e: Event) => e.preventDefault() },
        h('label', {}, 'App', this.appSelect),
        h('label', {}, 'Range', this.rangeSelect),
        this.customDays,
        h(
          'label',
          {},
          'Time zone',
          this.zoneInput,
          h('datalist', { id: 'time-zones' }, ...timeZoneNames().map((zone) => h('option', { value: zone }))),
        ),
        h('label', { class: 'check' }, this.compareBox, 'Compare with previous period'),
        h('button', { type: 'button', id: 'refresh', onclick: () => this.refresh() }, 'Refresh'),
        this.rangeError,
        this.zoneError,
      ),
      this.periodLine,
      this.tabList,
      this.panel,
      h('footer', {}, this.summary, h('a', { href: '/openapi.json' }, 'KPI API (OpenAPI)')),
    );
    window.addEventListener('popstate', () => {
      this.state = readState(location.search, browserTimeZone());
      // The history entry's zone, even while the zone box has the focus (Alt+Left from it).
      this.showZone(this.state.timezone);
      this.previousAppEvent = undefined;
      this.render();
    });
    await this.loadApps();
  }

  private async loadApps(): Promise<void> {
    this.clearView();
    this.syncControls();
    replaceChildren(this.panel, h('p', { class: 'loading' }, 'Loading apps…'));
    try {
      this.apps = await this.client.apps();
    } catch (err) {
      replaceChildren(
        this.panel,
        h(
          'div',
          { class: 'card error-state', role: 'alert' },
          h('h2', {}, 'Could not load the list of apps'),
          h('p', { class: 'error' }, (err as Error).message),
        ),
      );
      return;
    }
    if (this.state.app === undefined && this.apps[0] !== undefined) {
      this.state = { ...this.state, app: this.apps[0] };
    }
    // The URL names the whole view (the zone above all), so a copied link shows the same days.
    const search = `?${writeState(this.state)}`;
    if (location.search !== search) history.replaceState(null, '', search);
    this.render();
  }

  /** Forgets the view on screen: its charts, and its answers in the summary; late answers are dropped. */
  private clearView(): void {
    this.generation += 1;
    this.charts.destroyAll();
    this.answers.clear();
    this.summary.textContent = '';
  }

  private update(change: Partial<ViewState>): void {
    this.state = { ...this.state, ...change };
    history.pushState(null, '', `?${writeState(this.state)}`);
    this.render();
  }

  private refresh(): void {
    this.client.clear();
    void this.loadApps();
  }

  /** Another app: its own event types decide what Custom events shows (ADR 022). */
  private changeApp(): void {
    this.previousAppEvent = this.shownEvent;
    this.update({ app: this.appSelect.value, event: undefined, field: undefined });
  }

  private changeRange(): void {
    const range = this.rangeSelect.value as ViewState['range'];
    if (range === 'custom') {
      const period = currentPeriod(this.state, Date.now());
      this.update({ range, start: period.start, end: period.end });
    } else {
      this.update({ range, start: undefined, end: undefined });
    }
  }

  private changeDays(): void {
    const days = { start: this.startInput.value, end: this.endInput.value };
    const problem = customRangeProblem(days, this.state.timezone, Date.now());
    this.showRangeProblem(problem);
    if (problem === undefined) this.update({ range: 'custom', ...days });
  }

  private changeZone(): void {
    const zone = this.zoneInput.value.trim();
    const problem = zoneProblem(zone);
    this.showZoneProblem(problem);
    if (problem === undefined) this.update({ timezone: zone });
  }

  /** The view's zone in the zone box, marked invalid when it is not a zone name (a link's `tz`). */
  private showZone(zone: string): void {
    this.zoneInput.value = zone;
    this.showZoneProblem(zoneProblem(zone));
  }

  /** Marks the custom days invalid with a message, or clears both. */
  private showRangeProblem(problem: string | undefined): void {
    showProblem([this.startInput, this.endInput], this.rangeError, problem);
  }

  private showZoneProblem(problem: string | undefined): void {
    showProblem([this.zoneInput], this.zoneError, problem);
  }

  private moveTab(event: KeyboardEvent): void {
    const index = TABS.findIndex((t) => t.id === this.state.tab);
    const next =
      event.key === 'ArrowRight'
        ? (index + 1) % TABS.length
        : event.key === 'ArrowLeft'
          ? (index + TABS.length - 1) % TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? TABS.length - 1
              : -1;
    if (next < 0) return;
    event.preventDefault();
    const tab = TABS[next]?.id as TabId;
    this.update({ tab });
    this.tabButtons[next]?.focus();
  }

  private syncControls(): void {
    const { state } = this;
    const known = this.apps ?? [];
    const apps = state.app !== undefined && !known.includes(state.app) ? [state.app, ...known] : known;
    const placeholder = this.apps === undefined ? 'loading…' : 'no apps yet';
    replaceChildren(
      this.appSelect,
      ...(apps.length === 0 ? [h('option', { value: '' }, placeholder)] : []),
      ...apps.map((app) =>
        h(
          'option',
          { value: app, selected: app === state.app },
          this.apps === undefined || known.includes(app) ? app : `${app} (no events)`,
        ),
      ),
    );
    this.appSelect.disabled = apps.length === 0;
    this.rangeSelect.value = state.range;
    const period = currentPeriod(state, Date.now());
    this.customDays.hidden = state.range !== 'custom';
    this.startInput.value = period.start;
    this.endInput.value = period.end;
    const today = formatDay(todayIn(state.timezone, Date.now()));
    this.startInput.max = today;
    this.endInput.max = today;
    this.showRangeProblem(undefined);
    if (document.activeElement !== this.zoneInput) this.showZone(state.timezone);
    this.compareBox.checked = state.compare;
    this.periodLine.textContent = `${describePeriod(period)} · ${state.timezone}${state.compare ? ` · compared with ${describePeriod(previousPeriod(period))}` : ''}`;
    for (const button of this.tabButtons) {
      const selected = button.dataset.tab === state.tab;
      button.setAttribute('aria-selected', String(selected));
      button.tabIndex = selected ? 0 : -1;
    }
    this.panel.setAttribute('aria-labelledby', `tab-${state.tab}`);
  }

  private render(): void {
    this.clearView();
    const generation = this.generation;
    this.syncControls();
    this.panel.replaceChildren();
    const { state } = this;
    const app = state.app;
    if (app === undefined) {
      this.panel.append(
        h(
          'div',
          { class: 'card empty-state' },
          h('h2', {}, 'No events yet'),
          h(
            'p',
            {},
            this.mode === 'deployed'
              ? 'No app has events in the stack’s lake yet.'
              : 'No app has sent an event to this server yet.',
          ),
          sendEventHint(this.mode, 'my-app'),
        ),
      );
      return;
    }
    const appListed = this.apps?.includes(app) ?? false;
    if (!appListed) {
      this.panel.append(
        h(
          'div',
          { class: 'notice' },
          h('p', {}, `No events for app ${app} yet.`),
          sendEventHint(this.mode, app),
        ),
      );
    }
    const period = currentPeriod(state, Date.now());
    const previous = previousPeriod(period);
    const isCurrent = () => generation === this.generation;
    const record = <T extends AnswerMeta>(answer: Promise<T>): Promise<T> => {
      answer.then(
        (a) => {
          if (!isCurrent()) return;
          this.answers.add(a);
          this.summary.textContent = describeView([...this.answers], state.timezone);
        },
        () => undefined,
      );
      return answer;
    };
    const ctx: ViewContext = {
      state,
      app,
      period,
      previous,
      days: daysOf(period),
      previousDays: daysOf(previous),
      client: this.client,
      charts: this.charts,
      panel: this.panel,
      mode: this.mode,
      appListed,
      isCurrent,
      series: (path, which = 'current') =>
        record(this.client.series(app, path, which === 'current' ? period : previous, state.timezone)),
      eventTypes: () => record(this.client.eventTypes(app, period, state.timezone)),
      previousAppEvent: this.previousAppEvent,
      showingEvent: ({ event, field, carried }) => {
        if (!isCurrent()) return;
        this.shownEvent = { event, field };
        this.previousAppEvent = undefined;
        if (!carried) return;
        this.state = { ...this.state, event, field };
        history.replaceState(null, '', `?${writeState(this.state)}`);
      },
      update: (change) => this.update(change),
    };
    switch (state.tab) {
      case 'overview':
        renderOverview(ctx);
        break;
      case 'retention':
        renderRetention(ctx);
        break;
      case 'custom-events':
        renderCustomEvents(ctx);
        break;
      default: {
        const specs = { 'active-users': ACTIVE_USERS, sessions: SESSIONS, revenue: REVENUE }[state.tab];
        const grid = h('div', { class: 'grid' });
        this.panel.append(grid);
        for (const spec of specs) grid.append(seriesCard(ctx, spec).element);
      }
    }
  }
}

function zoneProblem(zone: string): string | undefined {
  return isTimeZoneName(zone)
    ? undefined
    : `“${zone}” is not a time zone name; use an IANA name such as Europe/Paris`;
}

/** Marks controls invalid and shows why, or clears both when there is no problem. */
function showProblem(
  inputs: readonly HTMLInputElement[],
  message: HTMLElement,
  problem: string | undefined,
): void {
  for (const input of inputs) {
    if (problem === undefined) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
  }
  message.hidden = problem === undefined;
  message.textContent = problem ?? '';
}
