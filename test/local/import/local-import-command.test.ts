import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../../lambdas/core/event-record';
import { lakeWindow } from '../../../lambdas/core/lake-window';
import { encodeRecord } from '../../../lambdas/ingest/normalise/encode-record';
import { createKpiApp } from '../../../lambdas/kpi/kpi-app';
import { DuckDbEngine } from '../../../local/duckdb/duckdb-engine';
import { runLocalImport } from '../../../local/import/local-import-command';
import { expectSameSeries } from '../../support/expect-same-series';
import { type EventFields, eventRecord } from '../../support/generate-events';
import { NO_APPS } from '../../support/no-apps';
import { type ReferenceValue, referenceKpi } from '../../support/reference-kpis';
import { concretePath, E2E_KPI_PATHS, E2E_NAMES } from '../support/kpi-paths';
import { filesBelow, tempDir } from '../support/lake-fixtures';

const progress = { write: () => true };

let dir: Awaited<ReturnType<typeof tempDir>>;

beforeEach(async () => {
  dir = await tempDir('local-import-command');
});

afterEach(async () => {
  await dir.remove();
});

describe('npm run import on this machine', () => {
  it("rejects events before the lake's first day as npm start has it, naming the flag to change", async () => {
    const events = ['2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z'].map((at, i) =>
      eventRecord({
        appId: 'game',
        clientId: 'c1',
        eventId: `e${i}`,
        eventType: '_session.start',
        timestamp: Date.parse(at),
      }),
    );
    const file = join(dir.path, 'history.ndjson');
    await writeFile(file, events.map(encodeRecord).join(''));
    const result = await runLocalImport({
      dataDir: join(dir.path, 'lake'),
      paths: [file],
      appMap: new Map(),
      lakeStartDate: '2026-01-03',
      dryRun: false,
      progress,
      now: () => Date.parse('2026-02-01T00:00:00Z'),
    });
    const reason =
      "event_timestamp is 2026-01-02T10:00:00.000Z, before the lake's first day 2026-01-03; events before it are not stored (check the device clock, or give npm start and npm run import an earlier --lake-start-date (LAKE_START_DATE))";
    expect(result.counts.imported).toBe(1);
    expect(result.summary).toContain(reason);
    const report = await readFile(result.reportPath ?? '', 'utf8');
    expect(
      report
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).reason),
    ).toEqual([reason]);
  });

  it('on a dry run stores no event, and says so without denying the report it wrote', async () => {
    const file = join(dir.path, 'history.ndjson');
    await writeFile(
      file,
      ['2026-01-02T10:00:00Z', '2026-01-04T10:00:00Z']
        .map((at, i) =>
          encodeRecord(
            eventRecord({
              appId: 'game',
              clientId: 'c1',
              eventId: `e${i}`,
              eventType: 'x',
              timestamp: Date.parse(at),
            }),
          ),
        )
        .join(''),
    );
    const result = await runLocalImport({
      dataDir: join(dir.path, 'lake'),
      paths: [file],
      appMap: new Map(),
      lakeStartDate: '2026-01-03',
      dryRun: true,
      progress,
      now: () => Date.parse('2026-02-01T00:00:00Z'),
    });
    expect(result.counts).toMatchObject({ imported: 1 });
    const [head] = result.summary.split('\n');
    expect(head).toBe(
      `Dry run: 1 new events in 1 file (0.0 MiB); no event was stored in ${join(dir.path, 'lake')}`,
    );
    expect(result.summary).toContain(`report of every rejected record: ${result.reportPath}`);
    expect(await readFile(result.reportPath ?? '', 'utf8')).toContain('2026-01-02T10:00:00.000Z');
    expect(await filesBelow(join(dir.path, 'lake', 'events'))).toEqual([]);
  });
});

describe('an export object holding a record twice (a Firehose redelivery)', () => {
  const NOW = Date.parse('2026-02-01T00:00:00Z');
  const RANGE = { startDate: '2026-01-04', endDate: '2026-01-07' };
  const event = (fields: Omit<EventFields, 'appId' | 'eventId'>, i: number) =>
    eventRecord({ appId: 'game', eventId: `distinct-${i}`, ...fields });
  const fields: Omit<EventFields, 'appId' | 'eventId'>[] = [
    { clientId: 'c1', eventType: '_session.start', timestamp: Date.parse('2026-01-05T10:00:00Z') },
    {
      clientId: 'c1',
      eventType: '_monetization.purchase',
      timestamp: Date.parse('2026-01-05T10:05:00Z'),
      metrics: { _item_price: 4 },
    },
    {
      clientId: 'c1',
      eventType: 'level_complete',
      timestamp: Date.parse('2026-01-05T10:06:00Z'),
      metrics: { score: 7 },
      attributes: { level: '3' },
    },
    { clientId: 'c2', eventType: '_session.start', timestamp: Date.parse('2026-01-06T09:00:00Z') },
    {
      clientId: 'c2',
      eventType: 'level_complete',
      timestamp: Date.parse('2026-01-06T09:01:00Z'),
      metrics: { score: 5 },
      attributes: { level: '4' },
    },
  ];
  const events: EventRecord[] = fields.map(event);
  /** As a Pinpoint event stream writes it: nested, and without an event id (the importer makes one). */
  const streamRecord = (r: EventRecord) => ({
    event_type: r.event_type,
    event_timestamp: r.event_timestamp,
    arrival_timestamp: r.arrival_timestamp,
    event_version: '3.1',
    application: { app_id: r.application.app_id },
    client: { client_id: r.client.client_id },
    session: { session_id: r.session.session_id, start_timestamp: r.session.start_timestamp },
    attributes: r.attributes,
    metrics: r.metrics,
  });

  it('is imported once, and every KPI counts it once, as the stream transformer would store it', async () => {
    // The purchase and the level of c1 are delivered again after the batch they came in.
    const delivered = [...events, events[1], events[2]] as EventRecord[];
    const file = join(dir.path, 'events-1-2026-01-06-09-00-00-a1.gz');
    await writeFile(file, gzipSync(delivered.map((r) => JSON.stringify(streamRecord(r))).join('')));
    const lakeDir = join(dir.path, 'lake');
    const result = await runLocalImport({
      dataDir: lakeDir,
      paths: [file],
      appMap: new Map(),
      lakeStartDate: '2026-01-01',
      dryRun: false,
      progress,
      now: () => NOW,
    });
    expect(result.counts).toMatchObject({ imported: events.length, duplicates: 2 });

    const instance = await DuckDBInstance.create(':memory:');
    try {
      const app = createKpiApp({
        lake: lakeWindow('2026-01-01'),
        apps: NO_APPS,
        engine: new DuckDbEngine({ dataDir: lakeDir, instance }),
        now: () => NOW,
      });
      for (const path of E2E_KPI_PATHS) {
        const query = new URLSearchParams({ ...RANGE, timezone: 'UTC' });
        const response = await app.request(`/apps/game${concretePath(path)}?${query}`);
        expect(response.status).toBe(200);
        const { values } = (await response.json()) as { values: ReferenceValue[] };
        const reference = referenceKpi(events, {
          appId: 'game',
          path,
          ...RANGE,
          timezone: 'UTC',
          lastCompleteDate: '2026-01-31',
          ...E2E_NAMES,
        });
        expectSameSeries(path, values, reference);
      }
    } finally {
      instance.closeSync();
    }
  });
});
