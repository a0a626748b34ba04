import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Lake } from '../../../local/lake/lake';
import { LakeAppDirectory } from '../../../local/lake/lake-app-directory';
import { LOG_DIR } from '../../../local/lake/lake-log';
import { eventRecord } from '../../support/generate-events';
import { filesBelow, tempDir } from '../support/lake-fixtures';

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
    expect(await new LakeAppDirectory({ dataDir: lake.path }).apps()).toEqual(['b.2', 'demo', 'zeta']);
  });

  it('leaves out folders without events and names that are no valid app id', async () => {
    await file('events/app_id=demo/dt=2026-03-01/events-1.parquet');
    await mkdir(join(lake.path, 'events/app_id=empty/dt=2026-03-01'), { recursive: true });
    await file('events/app_id=journal-only/dt=2026-03-01/.compaction.json');
    await file('events/app_id=-bad/dt=2026-03-01/events-1.parquet');
    await file('events/not-an-app/dt=2026-03-01/events-1.parquet');
    expect(await new LakeAppDirectory({ dataDir: lake.path }).apps()).toEqual(['demo']);
  });

  it('answers an empty list for a lake without events/', async () => {
    expect(await new LakeAppDirectory({ dataDir: lake.path }).apps()).toEqual([]);
  });

  it('lists, of a live lake, the apps whose events are still only in its log, then in its files', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const live = await Lake.open({ dataDir: lake.path, command: 'a test', instance, convertAfterMs: 60_000 });
    try {
      const apps = new LakeAppDirectory({ lake: live });
      expect(await apps.apps()).toEqual([]);
      const put = (appId: string, eventId: string) =>
        live.sink.put([
          eventRecord({ appId, clientId: 'c1', eventId, eventType: 'x', timestamp: Date.UTC(2026, 2, 2) }),
        ]);
      await put('new', 'e1');
      await put('aaa', 'e2');
      expect(await filesBelow(join(lake.path, 'events', 'app_id=new'))).toEqual([]);
      expect((await filesBelow(join(lake.path, LOG_DIR))).length).toBeGreaterThan(0);
      expect(await apps.apps()).toEqual(['aaa', 'new']);
      await live.converted();
      expect(await filesBelow(join(lake.path, LOG_DIR))).toEqual([]);
      expect(await apps.apps()).toEqual(['aaa', 'new']);
    } finally {
      await live.close();
      instance.closeSync();
    }
  });
});
