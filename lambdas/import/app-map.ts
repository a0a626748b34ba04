import { APP_ID_RULE, isValidAppId } from '../core/identifiers';

/**
 * App ids to replace on import, from `old=new` pairs (`--app-map`), e.g. a Mobile Analytics
 * app id to the id the app uses now. The new id must be a valid app id; an old id given twice
 * is an error. Throws an Error whose message names the pair.
 */
export function parseAppMap(pairs: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const [from, to] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    if (from === '' || to === '') {
      throw new Error(`--app-map ${JSON.stringify(pair)} must be old=new, two app ids`);
    }
    if (!isValidAppId(to)) {
      throw new Error(`--app-map ${JSON.stringify(pair)}: the new app id must be ${APP_ID_RULE}`);
    }
    if (map.has(from)) throw new Error(`--app-map gives ${JSON.stringify(from)} twice`);
    map.set(from, to);
  }
  return map;
}
