import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LakeAppDirectory } from '../../../local/lake/lake-app-directory';
import { tempDir } from '../support/lake-fixtures';

let lake: Awaited<ReturnType<typeof tempDir>>;

beforeEach(async () => {
  lake = await tempDir('app-directory');
});
afterEach(() => lake.remove());

async function file(path: string): Promise<void> {
  await mkdir(join(lake.path, path, '..'), { recursive: true });
  await writeFile(join(lake.path, path), '');
}

describe('the apps of the local lake', () => {
  it('lists each app folder with a Parquet file in a dt folder, sorted', async () => {
    await file('events/app_id=zeta/dt=2026-03-01/events-1.parquet');
    await file('events/app_id=demo/dt=2026-03-01/events-1.parquet');
    await file('events/app_id=demo/dt=2026-03-02/events-2.parquet');
    await file('events/app_id=b.2/dt=2026-01-01/compacted-1.parquet');
    expect(await new LakeAppDirectory(lake.path).apps()).toEqual(['b.2', 'demo', 'zeta']);
  });

  it('leaves out folders without events and names that are no valid app id', async () => {
    await file('events/app_id=demo/dt=2026-03-01/events-1.parquet');
    await mkdir(join(lake.path, 'events/app_id=empty/dt=2026-03-01'), { recursive: true });
    await file('events/app_id=journal-only/dt=2026-03-01/.compaction.json');
    await file('events/app_id=-bad/dt=2026-03-01/events-1.parquet');
    await file('events/not-an-app/dt=2026-03-01/events-1.parquet');
    expect(await new LakeAppDirectory(lake.path).apps()).toEqual(['demo']);
  });

  it('answers an empty list for a lake without events/', async () => {
    expect(await new LakeAppDirectory(lake.path).apps()).toEqual([]);
  });
});
