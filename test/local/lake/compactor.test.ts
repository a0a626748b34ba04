import { DuckDBInstance } from '@duckdb/node-api';
import { Compactor } from '../../../local/lake/compactor';
import { lakeStats } from '../../../local/lake/lake-files';
import { LakeSink } from '../../../local/lake/lake-sink';
import { ReadWriteLock } from '../../../local/lake/read-write-lock';
import { eventRecord } from '../../support/generate-events';
import { tempDir } from '../support/lake-fixtures';

const event = (id: string) =>
  eventRecord({
    appId: 'demo',
    clientId: 'c1',
    eventId: id,
    eventType: 'e',
    timestamp: Date.UTC(2026, 2, 1),
  });

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;

beforeEach(async () => {
  dir = await tempDir('compactor');
  instance = await DuckDBInstance.create(':memory:');
});

afterEach(async () => {
  instance.closeSync();
  await dir.remove();
});

async function until(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('Compactor', () => {
  it('compacts the partitions written to once writes pause', async () => {
    const compactor = new Compactor({ instance, dataDir: dir.path, lock: new ReadWriteLock(), idleMs: 400 });
    const sink = new LakeSink({ dataDir: dir.path, instance, onWrite: (p) => compactor.touched(p) });
    for (let i = 0; i < 4; i++) await sink.put([event(`e${i}`)]);
    expect((await lakeStats(dir.path)).files).toBe(4);
    await until(async () => (await lakeStats(dir.path)).files === 1);
    await sink.close();
    await compactor.stop();
  });

  it('does not wait for a pause once a partition has many new files', async () => {
    const compactor = new Compactor({
      instance,
      dataDir: dir.path,
      lock: new ReadWriteLock(),
      idleMs: 60_000,
      maxNewFiles: 3,
    });
    const sink = new LakeSink({ dataDir: dir.path, instance, onWrite: (p) => compactor.touched(p) });
    for (let i = 0; i < 3; i++) await sink.put([event(`e${i}`)]);
    await until(async () => (await lakeStats(dir.path)).files === 1);
    await sink.close();
    await compactor.stop();
  });

  it('drops what is scheduled when stopped', async () => {
    const compactor = new Compactor({ instance, dataDir: dir.path, lock: new ReadWriteLock(), idleMs: 100 });
    const sink = new LakeSink({ dataDir: dir.path, instance, onWrite: (p) => compactor.touched(p) });
    for (let i = 0; i < 3; i++) await sink.put([event(`e${i}`)]);
    await compactor.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await lakeStats(dir.path)).files).toBe(3);
    await sink.close();
  });
});
