import type { Context } from 'hono';
import { BadRequestError } from '../core/errors';
import { APP_ID_RULE, isValidAppId } from '../core/identifiers';

/** The `{appId}` of a Pinpoint door's path, held to the shared app id rule (it names a lake partition). */
export function pinpointAppId(c: Context): string {
  const appId = c.req.param('appId') ?? '';
  if (!isValidAppId(appId)) {
    throw new BadRequestError(
      `The appId in the path is ${JSON.stringify(appId)}; an app id is ${APP_ID_RULE}`,
    );
  }
  return appId;
}
