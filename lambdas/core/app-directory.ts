/**
 * Port: the apps that have events (`GET /apps`, docs/CONTRACT.md §3). Implementations: the
 * `events/app_id=<id>/` prefixes of the lake bucket (`lambdas/kpi/s3-app-directory.ts`) and the
 * local lake folder (`local/lake/lake-app-directory.ts`); the wiring chooses.
 */
export interface AppDirectory {
  /** The ids of the apps that have events, each once, sorted. */
  apps(): Promise<readonly string[]>;
}
