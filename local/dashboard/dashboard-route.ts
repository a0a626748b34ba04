import type { MiddlewareHandler } from 'hono';
import { logger } from '../../lambdas/core/logger';
import type { DashboardPage } from './dashboard-page';

/** Whether an Accept header asks for HTML (a browser navigating), rather than JSON (curl, fetch, SDKs). */
export function acceptsHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => {
    const [type = '', ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return type === 'text/html' && (q === undefined || Number(q.slice(2)) > 0);
  });
}

/**
 * Serves the dashboard page at `/` to requests that accept HTML; every other request goes on
 * to the next handler, so `GET /` from curl or a script still reaches the KPI API.
 */
export function dashboardRoute(page: DashboardPage): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (
      c.req.path !== '/' ||
      (method !== 'GET' && method !== 'HEAD') ||
      !acceptsHtml(c.req.header('accept'))
    ) {
      await next();
      return;
    }
    const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    try {
      const built = await page.page();
      return c.html(built.html, 200, { ...headers, 'content-security-policy': built.contentSecurityPolicy });
    } catch (err) {
      logger.error('the dashboard page could not be built', { error: err as Error });
      return c.text(`The dashboard page could not be built: ${(err as Error).message}`, 500, headers);
    }
  };
}
