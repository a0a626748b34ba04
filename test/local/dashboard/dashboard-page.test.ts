import { Hono } from 'hono';
import { type BuiltPage, buildDashboardPage, DashboardPage } from '../../../local/dashboard/dashboard-page';
import { acceptsHtml, dashboardRoute } from '../../../local/dashboard/dashboard-route';

let built: BuiltPage;

beforeAll(async () => {
  built = await buildDashboardPage('local');
});

describe('the dashboard page', () => {
  it('is one HTML document with its script and style inline, nothing fetched from elsewhere', () => {
    expect(built.html).toMatch(/^<!doctype html>/);
    expect(built.html).toContain('<body data-mode="local">');
    expect(built.html).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/);
    expect(built.contentSecurityPolicy).toContain("default-src 'none'");
    expect(built.contentSecurityPolicy).toContain("connect-src 'self'");
  });

  it('stays small: script and style under 150 KB before compression', () => {
    expect(built.scriptBytes).toBeGreaterThan(10_000);
    expect(built.scriptBytes + built.styleBytes).toBeLessThan(150_000);
  });
});

describe('GET /', () => {
  const app = new Hono();
  app.use(dashboardRoute(new DashboardPage('local')));
  app.get('/', (c) => c.json({ links: ['/openapi.json', '/apps'] }));

  it('answers a browser with the page and its content security policy', async () => {
    const response = await app.request('/', {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[A-Za-z0-9+/]+=*'/);
    expect(await response.text()).toContain('<div id="app">');
  });

  it('leaves every other caller to the next handler (the KPI API)', async () => {
    for (const accept of [undefined, '*/*', 'application/json', 'text/html;q=0']) {
      const response = await app.request('/', accept ? { headers: { accept } } : {});
      expect({ accept, body: await response.json() }).toEqual({
        accept,
        body: { links: ['/openapi.json', '/apps'] },
      });
    }
  });

  it.each([
    ['text/html', true],
    ['TEXT/HTML; charset=utf-8', true],
    ['application/json, text/html;q=0.5', true],
    ['text/html;q=0', false],
    ['text/*', false],
    ['*/*', false],
    ['', false],
  ])('acceptsHtml(%j) is %s', (accept, expected) => {
    expect(acceptsHtml(accept)).toBe(expected);
  });
});
