import { isValidAppId } from '../../core/validation';
import { InvalidEventError, shown } from './invalid-event';
import { requiredStringAt } from './json-fields';

/** What {@link APP_ID_PATTERN} allows, in words for messages. */
export const APP_ID_RULE =
  '1 to 128 characters: letters, digits, "_", "." or "-", starting with a letter or digit';

/** An app id is also a partition directory name (`app_id=<id>`), so it is held to the shared rule. */
export function appIdAt(value: unknown, path: string): string {
  const appId = requiredStringAt(value, path);
  if (!isValidAppId(appId))
    throw new InvalidEventError(`${path} is ${shown(appId)}; an app id is ${APP_ID_RULE}`);
  return appId;
}
