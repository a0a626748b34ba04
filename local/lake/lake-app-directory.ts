import type { AppDirectory } from '../../lambdas/core/app-directory';
import { isValidAppId } from '../../lambdas/core/identifiers';
import { lakePartitions, parquetFiles } from './lake-files';

/**
 * The apps of the local lake folder (`GET /apps`, docs/CONTRACT.md §3): each `app_id=<id>`
 * folder with at least one Parquet file in one of its `dt=` folders. A folder left empty (by a
 * crash before the first file was published) holds no events, so its app is not listed.
 */
export class LakeAppDirectory implements AppDirectory {
  constructor(private readonly dataDir: string) {}

  async apps(): Promise<readonly string[]> {
    const apps = new Set<string>();
    for (const partition of await lakePartitions(this.dataDir)) {
      if (apps.has(partition.appId) || !isValidAppId(partition.appId)) continue;
      if ((await parquetFiles(partition.dir)).length > 0) apps.add(partition.appId);
    }
    return [...apps].sort();
  }
}
