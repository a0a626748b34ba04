import { DuckDBInstance } from '@duckdb/node-api';
import { eventRecord } from '../../support/generate-events';
import { openKpiLake } from '../../support/kpi-lakes';
import { tempDir } from '../support/lake-fixtures';

/**
 * The KPI API's pinned views of the live lake answer from what each answer pinned, whatever
 * earlier answers read: a rollup rebuilt after a late event is read from its new files, and a
 * late event not yet rolled up is read from raw events, on the same views and connections.
 */

const start = (client: string, iso: string) =>
  eventRecord({
    appId: 'demo',
    clientId: client,
    eventId: `${client}-${iso}`,
    eventType: '_session.start',
    timestamp: Date.parse(iso),
  });

let dir: Awaited<ReturnType<typeof tempDir>>;
let instance: DuckDBInstance;

beforeEach(async () => {
  dir = await tempDir('kpi-views');
  instance = await DuckDBInstance.create(':memory:');
});

afterEach(async () => {
  instance.closeSync();
  await dir.remove();
});

describe('LakeKpiViews', () => {
  it('answer from the rollups and raw events of their own pin, before and after a late event and its rebuild', async () => {
    const opened = await openKpiLake(instance, dir.path, {
      rollups: true,
      now: Date.parse('2026-03-10T12:00:00Z'),
    });
    const dau = async () => {
      const response = await opened.app.request(
        '/apps/demo/kpis/dau/count?startDate=2026-03-01&endDate=2026-03-02&timezone=UTC',
      );
      const body = (await response.json()) as { values: { value: number }[]; source: { raw: string[] } };
      return { values: body.values.map((v) => v.value), raw: body.source.raw };
    };
    try {
      await opened.lake.sink.put([start('a', '2026-03-01T10:00:00Z'), start('b', '2026-03-02T10:00:00Z')]);
      await opened.lake.compactAll();
      expect(await dau()).toEqual({ values: [1, 1], raw: [] });
      await opened.lake.sink.put([start('c', '2026-03-01T11:00:00Z')]);
      expect(await dau()).toEqual({ values: [2, 1], raw: ['2026-03-01'] });
      await opened.lake.settled();
      expect(await dau()).toEqual({ values: [2, 1], raw: [] });
      await opened.lake.sink.put([start('d', '2026-03-02T11:00:00Z'), start('e', '2026-03-02T12:00:00Z')]);
      await opened.lake.settled();
      expect(await dau()).toEqual({ values: [2, 3], raw: [] });
    } finally {
      await opened.close();
    }
  });
});
