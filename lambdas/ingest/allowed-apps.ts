import type { MiddlewareHandler } from 'hono';
import { ForbiddenError } from '../core/errors';
import type { IngestEnv } from './ingest-env';
import { parseClientContext } from './normalise/client-context';

function check(allowed: ReadonlySet<string>, appId: string | undefined): void {
  if (appId !== undefined && allowed.has(appId)) return;
  throw new ForbiddenError(
    `The app id ${JSON.stringify(appId ?? '')} is not accepted here: this collector stores events of the app ids its operator listed (ingestAllowedApps) only`,
  );
}

/**
 * The doors' app allowlist (ADR 016): a request for an app id that is not listed is answered 403
 * before its body is read, so nothing of it is stored. The Pinpoint doors name the app in the
 * path, the Mobile Analytics door in the `x-amz-client-context` header (a malformed header is
 * the 400 the door itself would answer).
 */
export function allowedAppsGuards(allowed: ReadonlySet<string>): {
  readonly pinpoint: MiddlewareHandler<IngestEnv>;
  readonly mobileAnalytics: MiddlewareHandler<IngestEnv>;
} {
  return {
    pinpoint: async (c, next) => {
      check(allowed, c.req.param('appId'));
      await next();
    },
    mobileAnalytics: async (c, next) => {
      const context = parseClientContext(
        c.req.header('x-amz-client-context'),
        c.req.header('x-amz-client-context-encoding'),
      );
      check(allowed, context.appId);
      await next();
    },
  };
}
