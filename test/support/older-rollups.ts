import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLLUPS_PREFIX } from '../../lambdas/core/lake-layout';
import { ROLLUP_CLIENT_DAYS } from '../../lambdas/rollups/rollup-tables';
import { manifestPath, type RollupManifest, readManifests } from '../../local/rollups/rollup-manifest';

/**
 * Turns a closed lake's rollups into what a version before `rollup_client_days` left: no files
 * of that table, and manifests whose days name none.
 */
export async function asRolledUpBeforeClientDays(dataDir: string): Promise<void> {
  for (const { appId } of await readManifests(dataDir)) {
    const path = manifestPath(dataDir, appId);
    const manifest = JSON.parse(await readFile(path, 'utf8')) as RollupManifest;
    const days = Object.fromEntries(
      Object.entries(manifest.days).map(([dt, entry]) => {
        const files = Object.fromEntries(
          Object.entries(entry.files).filter(([table]) => table !== ROLLUP_CLIENT_DAYS.name),
        );
        return [dt, { ...entry, files }];
      }),
    );
    await writeFile(path, JSON.stringify({ ...manifest, days }));
  }
  await rm(join(dataDir, ROLLUPS_PREFIX, ROLLUP_CLIENT_DAYS.folder), { recursive: true, force: true });
}
