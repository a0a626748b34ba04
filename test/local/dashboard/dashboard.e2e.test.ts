import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type LocalServer, startLocalServer } from '../../../local/server/local-server';
import { generateEvents } from '../../support/generate-events';
import { TEST_LAKE } from '../../support/lake';
import { writeLake } from '../../support/write-lake';
import { awsTestEnv } from '../support/aws-env';
import { launchChromium } from '../support/chromium';
import { type CliProcess, startCli } from '../support/cli-process';
import { tempDir } from '../support/lake-fixtures';
import { STAND_IN_APPS, type StandInKpiApi, startStandInKpiApi } from '../support/stand-in-kpi-api';

/**
 * The dashboard in a real browser (Debian's Chromium, headless, driven by playwright-core)
 * against a local server on a temporary lake with known events. Expected figures come from the
 * KPI API's own answers for the same days, recomputed here from the definitions in ADR 022.
 * Screenshots of every tab go to `artifacts/dashboard/` (git-ignored).
 */

const ARTIFACTS = join(__dirname, '..', '..', '..', 'artifacts', 'dashboard');
const DAY = 86_400_000;
const BROWSER_ZONE = 'America/New_York';

type Values = (number | null)[];
interface Answer {
  values: { date: string; value: number | null }[];
}

let lake: Awaited<ReturnType<typeof tempDir>>;
let server: LocalServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[];
let requests: string[];

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
/** Today in a zone, YYYY-MM-DD (en-CA writes dates that way). */
const todayIn = (zone: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(Date.now());
/** The last `days` complete days in a zone, as the range presets mean them. */
function lastDays(days: number, zone: string): { start: string; end: string } {
  const end = addDays(todayIn(zone), -1);
  return { start: addDays(end, -(days - 1)), end };
}

async function api(
  app: string,
  path: string,
  range: { start: string; end: string },
  zone: string,
): Promise<Values> {
  const query = new URLSearchParams({ startDate: range.start, endDate: range.end, timezone: zone });
  const response = await fetch(`${server.url}/apps/${app}${path}?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as Answer).values.map((v) => v.value);
}

const total = (values: Values) => values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
const share = (a: number, b: number) => (b === 0 ? null : a / b);

/** The nine Overview figures of ADR 022, from the API's daily values. */
async function expectedFigures(app: string, range: { start: string; end: string }, zone: string) {
  const get = (path: string) => api(app, path, range, zone);
  const [dau, mau, newUsers, sessions, revenue, pdau, day1] = await Promise.all([
    get('/kpis/dau/count'),
    get('/kpis/mau/count'),
    get('/kpis/new-users/count'),
    get('/kpis/sessions/count'),
    get('/kpis/daily-revenue/sum'),
    get('/kpis/pdau/count'),
    get('/kpis/day-1-retention/count'),
  ]);
  const finished = day1.flatMap((v, i) => (v === null ? [] : [i]));
  return {
    mau: mau[mau.length - 1] ?? null,
    dau: total(dau) / dau.length,
    'new-users': total(newUsers),
    sessions: total(sessions) / sessions.length,
    sticky: share(total(dau), total(mau)),
    'day-1-retention': share(
      total(finished.map((i) => day1[i] ?? 0)),
      total(finished.map((i) => dau[i] ?? 0)),
    ),
    arpdau: share(total(revenue), total(dau)),
    pdau: total(pdau) / pdau.length,
    arppdau: share(total(revenue), total(pdau)),
  };
}

/** Waits until every card of the view has loaded (or failed) and no loading text is left. */
async function settled(): Promise<void> {
  await page.waitForFunction(
    () =>
      document.querySelector('[data-card]') !== null &&
      document.querySelector('[aria-busy="true"], .loading') === null,
    null,
    { timeout: 30_000 },
  );
}

async function shownFigures(): Promise<Record<string, number | null>> {
  await settled();
  return page.$$eval('[data-figure]', (elements) =>
    Object.fromEntries(
      elements.map((e) => {
        const { figure, value } = (e as HTMLElement).dataset;
        return [figure, value === '' ? null : Number(value)];
      }),
    ),
  );
}

function expectSameFigures(shown: Record<string, number | null>, expected: Record<string, number | null>) {
  expect(Object.keys(shown).sort()).toEqual(Object.keys(expected).sort());
  for (const [id, value] of Object.entries(expected)) {
    if (value === null) expect({ id, value: shown[id] }).toEqual({ id, value: null });
    else expect({ id, value: shown[id] ?? Number.NaN }).toEqual({ id, value: expect.closeTo(value, 9) });
  }
}

/** Saves a full-page screenshot of the current view as a test artifact. */
async function snap(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

function watch(target: Page): void {
  target.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') {
      problems.push(`console ${message.type()}: ${message.text()}`);
    }
  });
  target.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  target.on('request', (request) => requests.push(request.url()));
}

beforeAll(async () => {
  lake = await tempDir('dashboard-e2e');
  const yesterday = addDays(new Date().toISOString().slice(0, 10), -1);
  const instance = await DuckDBInstance.create(':memory:');
  await writeLake(instance, lake.path, [
    ...generateEvents({
      seed: 14,
      appId: 'demo',
      from: addDays(yesterday, -75),
      to: yesterday,
      clients: 60,
      midnightZones: ['Asia/Kolkata', BROWSER_ZONE],
    }),
    ...generateEvents({
      seed: 41,
      appId: 'other',
      from: addDays(yesterday, -40),
      to: yesterday,
      clients: 15,
    }),
  ]);
  instance.closeSync();
  [server, browser] = await Promise.all([
    startLocalServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: lake.path,
      sampleData: false,
      rollups: true,
      lakeStartDate: TEST_LAKE.startDate,
    }),
    launchChromium(),
  ]);
  await server.ready;
  context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: BROWSER_ZONE,
    locale: 'en-US',
    acceptDownloads: true,
  });
  await mkdir(ARTIFACTS, { recursive: true });
});

beforeEach(async () => {
  problems = [];
  requests = [];
  page = await context.newPage();
  watch(page);
});

afterEach(async () => {
  await page.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await lake?.remove();
});

describe('the dashboard at /', () => {
  it('opens on the first app’s Overview in the browser’s time zone, with the API’s figures and no console error', async () => {
    await page.goto(`${server.url}/`);
    const shown = await shownFigures();
    const range = lastDays(30, BROWSER_ZONE);
    expectSameFigures(shown, await expectedFigures('demo', range, BROWSER_ZONE));
    const previous = { start: addDays(range.start, -30), end: addDays(range.start, -1) };
    const previousFigures = await expectedFigures('demo', previous, BROWSER_ZONE);
    const shownPrevious = await page.$eval('[data-figure="dau"]', (e) =>
      Number((e as HTMLElement).dataset.previous),
    );
    expect(shownPrevious).toBeCloseTo(previousFigures.dau ?? Number.NaN, 9);
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      app: 'demo',
      tab: 'overview',
      range: '30',
      tz: BROWSER_ZONE,
    });
    expect(await page.inputValue('#timezone')).toBe(BROWSER_ZONE);
    await snap('overview');
    expect(await page.$$eval('#app-select option', (options) => options.map((o) => o.textContent))).toEqual([
      'demo',
      'other',
    ]);
    expect(problems).toEqual([]);
  });

  it('asks again and shows the new figures when the app, the range or the time zone changes, and keeps them in the URL', async () => {
    await page.goto(`${server.url}/?tz=UTC`);
    await shownFigures();

    await page.selectOption('#app-select', 'other');
    expectSameFigures(await shownFigures(), await expectedFigures('other', lastDays(30, 'UTC'), 'UTC'));
    expect(requests.some((r) => r.includes('/apps/other/kpis/dau/count?'))).toBe(true);

    await page.selectOption('#range', '7');
    const week = lastDays(7, 'UTC');
    expectSameFigures(await shownFigures(), await expectedFigures('other', week, 'UTC'));
    expect(
      requests.some((r) =>
        r.includes(`/apps/other/kpis/mau/count?startDate=${week.start}&endDate=${week.end}`),
      ),
    ).toBe(true);

    await page.fill('#timezone', 'Asia/Kolkata');
    await page.press('#timezone', 'Enter');
    const kolkata = lastDays(7, 'Asia/Kolkata');
    expectSameFigures(await shownFigures(), await expectedFigures('other', kolkata, 'Asia/Kolkata'));
    expect(requests.some((r) => r.includes('timezone=Asia%2FKolkata'))).toBe(true);

    const before = await shownFigures();
    await page.reload();
    expect(await shownFigures()).toEqual(before);
    expect(await page.inputValue('#app-select')).toBe('other');
    expect(await page.inputValue('#range')).toBe('7');
    expect(await page.inputValue('#timezone')).toBe('Asia/Kolkata');
    expect(problems).toEqual([]);
  });

  it('refuses a time zone name it does not know, saying so, without asking the API', async () => {
    await page.goto(`${server.url}/?tab=sessions&tz=UTC`);
    await settled();
    requests = [];
    await page.fill('#timezone', 'Mars/Olympus_Mons');
    await page.press('#timezone', 'Enter');
    expect(await page.textContent('#timezone-error')).toContain(
      '“Mars/Olympus_Mons” is not a time zone name',
    );
    expect(await page.getAttribute('#timezone', 'aria-invalid')).toBe('true');
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('marks the zone box invalid for a link whose tz is not a zone name, as for one typed in it', async () => {
    await page.goto(`${server.url}/?tab=sessions&tz=Mars/Olympus_Mons`);
    await settled();
    expect(await page.inputValue('#timezone')).toBe('Mars/Olympus_Mons');
    expect(await page.getAttribute('#timezone', 'aria-invalid')).toBe('true');
    expect(await page.textContent('#timezone-error')).toContain(
      '“Mars/Olympus_Mons” is not a time zone name',
    );
    await page.fill('#timezone', 'UTC');
    await page.press('#timezone', 'Enter');
    await settled();
    expect(await page.getAttribute('#timezone', 'aria-invalid')).toBeNull();
    expect(await page.isHidden('#timezone-error')).toBe(true);
    expect(problems.every((p) => p.includes('status of 400'))).toBe(true);
  });

  it('writes the browser’s zone into a link that names only the app, and Back restores the zone box even while it has the focus', async () => {
    await page.goto(`${server.url}/?app=other&tab=sessions`);
    await settled();
    expect(new URL(page.url()).searchParams.get('tz')).toBe(BROWSER_ZONE);
    await page.fill('#timezone', 'Asia/Tokyo');
    await page.press('#timezone', 'Enter');
    await settled();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('timezone');
    await page.goBack();
    await settled();
    expect(new URL(page.url()).searchParams.get('tz')).toBe(BROWSER_ZONE);
    expect(await page.inputValue('#timezone')).toBe(BROWSER_ZONE);
    expect(await page.textContent('.period')).toContain(BROWSER_ZONE);
    expect(problems).toEqual([]);
  });

  it('refuses custom days that run backwards or past today, saying so, without asking the API', async () => {
    const range = lastDays(7, 'UTC');
    await page.goto(`${server.url}/?tab=sessions&tz=UTC&range=custom&start=${range.start}&end=${range.end}`);
    await settled();
    const view = page.url();
    requests = [];
    await page.fill('#end', addDays(range.start, -1));
    expect(await page.textContent('#range-error')).toBe(
      `The first day (${range.start}) is after the last day (${addDays(range.start, -1)})`,
    );
    expect(await page.getAttribute('#end', 'aria-invalid')).toBe('true');
    const tomorrow = addDays(todayIn('UTC'), 1);
    await page.fill('#end', tomorrow);
    expect(await page.textContent('#range-error')).toContain(`The last day (${tomorrow}) is after today`);
    expect(requests).toEqual([]);
    expect(page.url()).toBe(view);
    await page.selectOption('#range', '7');
    await settled();
    expect(await page.isHidden('#range-error')).toBe(true);
    expect(await page.getAttribute('#end', 'aria-invalid')).toBeNull();
    expect(problems).toEqual([]);
  });

  it('drops the previous view’s summary when the list of apps cannot be loaded', async () => {
    await page.goto(`${server.url}/?tz=UTC`);
    await settled();
    expect(await page.textContent('footer .summary')).toContain('queries');
    await page.route('**/apps', (route) => route.abort());
    await page.click('#refresh');
    await page.waitForSelector('.error-state');
    expect(await page.textContent('.error-state h2')).toBe('Could not load the list of apps');
    expect(await page.textContent('.error-state .error')).toContain('could not be reached');
    expect(await page.textContent('footer .summary')).toBe('');
  });

  it('shows the API’s message when it refuses the view', async () => {
    await page.goto(`${server.url}/?tz=UTC&range=custom&start=2024-01-01&end=2026-01-01`);
    await settled();
    const messages = await page.$$eval('[data-state="error"] .error', (e) => e.map((x) => x.textContent));
    expect(messages).toHaveLength(9);
    expect(messages[0]).toBe(
      'The range from startDate 2024-01-01 to endDate 2026-01-01 is 732 days; the most is 366',
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.includes('status of 400'))).toBe(true);
  });

  it('shows each Overview figure on its own: a KPI answering 500 fails only the figures that read it', async () => {
    await page.route(
      (url) => url.pathname === '/apps/demo/kpis/mau/count',
      (route) =>
        route.fulfill({
          status: 500,
          contentType: 'application/json',
          body: JSON.stringify({ message: 'Internal server error' }),
        }),
    );
    await page.goto(`${server.url}/?tz=UTC&range=7`);
    const shown = await shownFigures();
    const failed = await page.$$eval('[data-card][data-state="error"]', (cards) =>
      cards.map((c) => [(c as HTMLElement).dataset.card, c.querySelector('.error')?.textContent]),
    );
    expect(failed).toEqual([
      ['mau', 'Internal server error'],
      ['sticky', 'Internal server error'],
    ]);
    const { mau, sticky, ...others } = await expectedFigures('demo', lastDays(7, 'UTC'), 'UTC');
    expectSameFigures(shown, others);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((p) => p.includes('status of 500'))).toBe(true);
  });

  it('draws the retention grid with each cell the retention KPI ÷ that day’s DAU, blank while a window is open', async () => {
    await page.goto(`${server.url}/?tab=retention&tz=UTC&range=30`);
    await settled();
    const range = lastDays(30, 'UTC');
    const dau = await api('demo', '/kpis/dau/count', range, 'UTC');
    const columns = ['day-1', 'day-3', 'day-5', 'day-7', 'week-1', 'week-2', 'week-3'];
    const retained = await Promise.all(
      columns.map((c) => api('demo', `/kpis/${c}-retention/count`, range, 'UTC')),
    );
    const cells = await page.$$eval('table.cohorts tbody tr', (rows) =>
      rows.map((row) =>
        Array.from(row.querySelectorAll('td[data-column]')).map((td) => [
          (td as HTMLElement).dataset.share,
          td.textContent,
        ]),
      ),
    );
    expect(cells).toHaveLength(30);
    await snap('retention');
    let blank = 0;
    cells.forEach((row, d) => {
      expect(row).toHaveLength(columns.length);
      row.forEach(([dataShare, text], c) => {
        const count = retained[c]?.[d] ?? null;
        const expected = count === null ? null : share(count, dau[d] ?? 0);
        if (expected === null) {
          blank += 1;
          expect({ d, c, text }).toEqual({ d, c, text: '' });
        } else {
          expect({ d, c, share: Number(dataShare) }).toEqual({ d, c, share: expect.closeTo(expected, 12) });
        }
      });
    });
    expect(blank).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('downloads a chart’s series as CSV, equal to the API’s', async () => {
    await page.goto(`${server.url}/?tab=active-users&tz=UTC&range=30&compare=1`);
    await settled();
    await snap('active-users');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-csv="dau"]')]);
    const csv = await readFile(await download.path(), 'utf8');
    const range = lastDays(30, 'UTC');
    expect(download.suggestedFilename()).toBe(`demo_dau_${range.start}_${range.end}.csv`);
    const query = new URLSearchParams({ startDate: range.start, endDate: range.end, timezone: 'UTC' });
    const answer = (await (await fetch(`${server.url}/apps/demo/kpis/dau/count?${query}`)).json()) as Answer;
    expect(answer.values).toHaveLength(30);
    const previous = await api(
      'demo',
      '/kpis/dau/count',
      { start: addDays(range.start, -30), end: addDays(range.start, -1) },
      'UTC',
    );
    const rows = answer.values.map(
      (v, d) => `${v.date},${v.value},${addDays(v.date, -30)},${previous[d]}\r\n`,
    );
    expect(csv).toBe(`date,dau,previous_date,previous_dau\r\n${rows.join('')}`);
    expect(problems).toEqual([]);
  });

  it('lists the app’s event types on Custom events and charts a chosen metric', async () => {
    await page.goto(`${server.url}/?tab=custom-events&tz=UTC&range=30`);
    await settled();
    const range = lastDays(30, 'UTC');
    const query = new URLSearchParams({ startDate: range.start, endDate: range.end, timezone: 'UTC' });
    const catalogue = (await (await fetch(`${server.url}/apps/demo/events?${query}`)).json()) as {
      events: { name: string }[];
    };
    expect(catalogue.events.length).toBeGreaterThan(2);
    expect(
      await page.$$eval('#event-type option', (o) => o.map((x) => (x as HTMLOptionElement).value)),
    ).toEqual(catalogue.events.map((e) => e.name));
    await page.selectOption('#event-type', 'level_complete');
    await settled();
    await page.selectOption('#event-field', 'metric:score');
    await settled();
    expect(new URL(page.url()).searchParams.get('field')).toBe('metric:score');
    expect(
      await page.$$eval('[data-card][data-state="ready"]', (c) =>
        c.map((x) => (x as HTMLElement).dataset.card),
      ),
    ).toEqual(['event-count', 'event-sum', 'event-min-avg-max']);
    await snap('custom-events');
    expect(requests.some((r) => r.includes('/apps/demo/events/level_complete/metrics/score/avg?'))).toBe(
      true,
    );
    expect(problems).toEqual([]);
  });

  it('moves between tabs with the arrow keys', async () => {
    await page.goto(`${server.url}/?tab=sessions&tz=UTC`);
    await settled();
    await page.focus('#tab-sessions');
    await page.keyboard.press('ArrowRight');
    expect(await page.getAttribute('#tab-revenue', 'aria-selected')).toBe('true');
    expect(await page.getAttribute('#tab-sessions', 'aria-selected')).toBe('false');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-revenue');
    await page.keyboard.press('End');
    expect(new URL(page.url()).searchParams.get('tab')).toBe('custom-events');
    await settled();
    expect(problems).toEqual([]);
  });

  it('renders the Sessions and Revenue tabs with comparison on, and the Overview on a phone (screenshots in artifacts/dashboard)', async () => {
    for (const tab of ['sessions', 'revenue']) {
      await page.goto(`${server.url}/?tab=${tab}&tz=UTC&compare=1`);
      await settled();
      const ready = await page.$$('[data-card][data-state="ready"] .chart');
      expect({ tab, charts: ready.length }).toEqual({ tab, charts: tab === 'sessions' ? 2 : 4 });
      await snap(tab);
    }
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/?tab=overview&tz=UTC`);
    await settled();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap('overview-phone');
    expect(problems).toEqual([]);
  });
});

describe('a new app', () => {
  it('says once that an app never seen has no events, on the Overview and on Custom events', async () => {
    const notices = () =>
      page.$$eval('.notice:not([hidden])', (n) =>
        n.map((x) => x.querySelector('p')?.textContent ?? x.textContent),
      );
    await page.goto(`${server.url}/?app=never-seen&tz=UTC`);
    await settled();
    expect(await notices()).toEqual(['No events for app never-seen yet.']);
    await page.click('#tab-custom-events');
    await page.waitForFunction(() => document.querySelector('[aria-busy="true"], .loading') === null);
    expect(await notices()).toEqual(['No events for app never-seen yet.']);
    expect(problems).toEqual([]);
  });

  it('says why events sent today are not in the presets, and shows them with one click', async () => {
    const now = new Date().toISOString();
    const sent = await fetch(`${server.url}/v1/apps/new-app/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        BatchItem: { d1: { Endpoint: {}, Events: { e1: { EventType: '_session.start', Timestamp: now } } } },
      }),
    });
    expect(sent.status).toBe(202);
    await page.goto(`${server.url}/?app=new-app&tz=UTC`);
    await shownFigures();
    expect(await page.textContent('.notice')).toContain('No sessions of new-app');
    await page.click('.notice button');
    const figures = await shownFigures();
    const today = todayIn('UTC');
    expect(Object.fromEntries(new URL(page.url()).searchParams)).toMatchObject({
      range: 'custom',
      start: addDays(today, -6),
      end: today,
    });
    expect(figures.dau).toBeCloseTo(1 / 7, 12);
    expect(figures['new-users']).toBe(1);
    expect(problems).toEqual([]);
  });
});

describe('Custom events of an app that sent events today', () => {
  const week = () => ({ start: addDays(todayIn('UTC'), -6), end: todayIn('UTC') });
  const customWeek = () => `tz=UTC&range=custom&start=${week().start}&end=${week().end}`;
  const shownEvent = async () => ({
    event: await page.inputValue('#event-type'),
    field: await page.inputValue('#event-field'),
    url: Object.fromEntries(new URL(page.url()).searchParams),
  });

  beforeAll(async () => {
    const now = new Date().toISOString();
    const event = (EventType: string, extra: object) => ({ EventType, Timestamp: now, ...extra });
    const sent = await fetch(`${server.url}/v1/apps/ads/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        BatchItem: {
          d1: {
            Endpoint: {},
            Events: {
              e1: event('_session.start', { Session: { Id: 's1', StartTimestamp: now } }),
              e2: event('ad_impression', { Attributes: { ad_network: 'net-a' } }),
              e3: event('ad_click', { Metrics: { bid: 0.25 }, Attributes: { ad_network: 'net-a' } }),
            },
          },
        },
      }),
    });
    expect(sent.status).toBe(202);
    expect(((await (await fetch(`${server.url}/apps`)).json()) as { apps: string[] }).apps).toContain('ads');
  });

  it('keeps the event type and field when the new app has them, written into the URL', async () => {
    await page.goto(
      `${server.url}/?app=demo&tab=custom-events&tz=UTC&range=30&event=_monetization.purchase&field=metric:_quantity`,
    );
    await settled();
    await page.selectOption('#app-select', 'other');
    await settled();
    expect(await shownEvent()).toMatchObject({
      event: '_monetization.purchase',
      field: 'metric:_quantity',
      url: { app: 'other', event: '_monetization.purchase', field: 'metric:_quantity' },
    });
    expect(problems).toEqual([]);
  });

  it('shows the new app’s own event type when it never had the old one', async () => {
    await page.goto(
      `${server.url}/?app=demo&tab=custom-events&${customWeek()}&event=level_complete&field=metric:score`,
    );
    await settled();
    await page.selectOption('#app-select', 'ads');
    await settled();
    const shown = await shownEvent();
    expect(shown).toMatchObject({ event: 'ad_click', field: 'metric:bid' });
    expect(shown.url.event).toBeUndefined();
    expect(await page.$$eval('#event-type option', (o) => o.map((x) => x.textContent))).toEqual([
      '_session.start',
      'ad_click',
      'ad_impression',
    ]);
    expect(problems).toEqual([]);
  });

  it('offers only metrics, and says once, plainly, when an event type has none', async () => {
    await page.goto(`${server.url}/?app=ads&tab=custom-events&${customWeek()}&event=ad_click`);
    await settled();
    expect(
      await page.$$eval('#event-field option', (o) => o.map((x) => (x as HTMLOptionElement).value)),
    ).toEqual(['metric:bid']);
    await page.selectOption('#event-type', 'ad_impression');
    await settled();
    expect(new URL(page.url()).searchParams.get('field')).toBeNull();
    expect(await page.$$eval('[data-card]', (c) => c.map((x) => (x as HTMLElement).dataset.card))).toEqual([
      'event-count',
    ]);
    expect(await page.$$('#event-field')).toHaveLength(0);
    expect(
      await page.$$eval('main p', (p) => p.map((x) => x.textContent).filter((t) => t?.includes('no metric'))),
    ).toEqual([
      `ad_impression events carry no metric from ${week().start} to ${week().end}: only their count is charted.`,
    ]);
    expect(await page.textContent('main')).not.toContain('No values on these days.');
    expect(problems).toEqual([]);
  });
});

describe('the same page through npm run dashboard (the signing proxy)', () => {
  let standIn: StandInKpiApi;
  let proxy: CliProcess;
  let home: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    standIn = await startStandInKpiApi();
    home = await tempDir('dashboard-proxy-home');
    proxy = startCli(
      'dashboard.ts',
      ['--api', `${standIn.origin}/prod/`, '--region', 'eu-west-1', '--port', '0'],
      awsTestEnv(home.path, true),
    );
  });

  afterAll(async () => {
    proxy.child.kill('SIGTERM');
    await proxy.exited;
    await standIn.close();
    await home.remove();
  });

  it('shows the deployed API’s apps and figures, every call signed by the proxy', async () => {
    const [, url] = await proxy.waitForStdout(/Dashboard on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
    await page.goto(`${url}/?tz=UTC`);
    const shown = await shownFigures();
    expect(await page.$$eval('#app-select option', (o) => o.map((x) => x.textContent))).toEqual(
      STAND_IN_APPS,
    );
    // The stand-in's value on a day is its day of the month; MAU is the last day's.
    expect(shown.mau).toBe(Number(addDays(todayIn('UTC'), -1).slice(8)));
    const forwarded = standIn.received.filter((r) => r.url.startsWith('/prod/apps/demo/'));
    expect(forwarded).toHaveLength(14);
    for (const request of forwarded) {
      expect(request.headers.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /,
      );
    }
    expect(await page.textContent('footer')).toContain('scanned');
    expect(problems).toEqual([]);
  });
});
