import type { AppDirectory } from '../../lambdas/core/app-directory';
import { isValidAppId } from '../../lambdas/core/identifiers';
import type { Lake } from './lake';
import { lakePartitions, parquetFiles } from './lake-files';

/** Where the apps are read: a live lake (files and log), or a lake folder no process writes to. */
export type LakeAppSource = { readonly lake: Pick<Lake, 'apps'> } | { readonly dataDir: string };

/**
 * The apps of the local lake (`GET /apps`, docs/CONTRACT.md §3). Of a live lake (the server's):
 * every app with events in its Parquet files or still in its log, so an app is listed from its
 * first acknowledged event on. Of a folder: each `app_id=<id>` folder with at least one Parquet
 * file in one of its `dt=` folders (a folder left empty holds no events, so its app is not listed).
 */
export class LakeAppDirectory implements AppDirectory {
  constructor(private readonly source: LakeAppSource) {}

  async apps(): Promise<readonly string[]> {
    const apps = 'lake' in this.source ? this.source.lake.apps() : await appsOfFolder(this.source.dataDir);
    return apps.filter(isValidAppId);
  }
}

async function appsOfFolder(dataDir: string): Promise<string[]> {
  const apps = new Set<string>();
  for (const partition of await lakePartitions(dataDir)) {
    if (apps.has(partition.appId)) continue;
    if ((await parquetFiles(partition.dir)).length > 0) apps.add(partition.appId);
  }
  return [...apps].sort();
}
