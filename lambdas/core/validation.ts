/**
 * Identifier rules shared by the ingest doors and the KPI API. An app id is also a
 * partition directory name, so it may hold no `/`, `=` or control character.
 */
export const APP_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isValidAppId(value: string): boolean {
  return APP_ID_PATTERN.test(value);
}
