import { APP_ID_RULE, isValidAppId } from '../../core/identifiers';
import { InvalidEventError, shown } from './invalid-event';
import { requiredStringAt } from './json-fields';

/** An app id is also a partition directory name (`app_id=<id>`), so it is held to the shared rule. */
export function appIdAt(value: unknown, path: string): string {
  const appId = requiredStringAt(value, path);
  if (!isValidAppId(appId))
    throw new InvalidEventError(`${path} is ${shown(appId)}; an app id is ${APP_ID_RULE}`);
  return appId;
}
