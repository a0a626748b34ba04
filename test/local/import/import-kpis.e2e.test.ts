import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EventRecord } from '../../../lambdas/core/event-record';
import { type LocalServer, startLocalServer } from '../../../local/server/local-server';
import { expectSameSeries } from '../../support/expect-same-series';
import { generateEvents } from '../../support/generate-events';
import { TEST_LAKE } from '../../support/lake';
import { type ReferenceValue, referenceKpi } from '../../support/reference-kpis';
import { runCli } from '../support/cli-process';
import { type DoorRequest, mobileAnalyticsRequests, pinpointRequests } from '../support/door-requests';
import { concretePath, E2E_KPI_PATHS, E2E_NAMES } from '../support/kpi-paths';
import { tempDir } from '../support/lake-fixtures';

const NOW = Date.parse('2026-03-26T02:00:00Z');
const APP = 'history-app';
const RANGE = { startDate: '2026-02-10', endDate: '2026-03-28' };
const NAMES = E2E_NAMES;
const PATHS = E2E_KPI_PATHS;

/** An event as a Pinpoint event stream wrote it to S3 through Firehose (nested layout, ms timestamps). */
function streamRecord(r: EventRecord): Record<string, unknown> {
  return {
    event_id: r.event_id,
    event_type: r.event_type,
    event_timestamp: r.event_timestamp,
    arrival_timestamp: r.arrival_timestamp,
    event_version: '3.1',
    application: { app_id: r.application.app_id, sdk: { name: 'aws-amplify-js', version: '6.0.0' } },
    client: { client_id: r.client.client_id },
    device: { locale: { code: 'en_US', country: 'US', language: 'en' }, platform: { name: 'android' } },
    session: { session_id: r.session.session_id, start_timestamp: r.session.start_timestamp },
    attributes: r.attributes,
    metrics: r.metrics,
  };
}

/** An event as Mobile Analytics auto-export wrote it (legacy flat layout, one per line). */
function legacyRecord(r: EventRecord): Record<string, unknown> {
  return {
    application_key: r.application.app_id,
    event_type: r.event_type,
    timestamp: r.event_timestamp,
    arrival_timestamp: r.arrival_timestamp,
    unique_id: r.client.client_id,
    platform: 'iOS',
    app_title: 'E2E',
    attributes: {
      ...r.attributes,
      '_session.id': r.session.session_id,
      '_session.startTime': String(r.session.start_timestamp),
    },
    metrics: r.metrics,
  };
}

let exportDir: Awaited<ReturnType<typeof tempDir>>;
let importedLake: Awaited<ReturnType<typeof tempDir>>;
let doorsLake: Awaited<ReturnType<typeof tempDir>>;
let imported: LocalServer;
let viaDoors: LocalServer;
let sent: EventRecord[];
let firstImport: Awaited<ReturnType<typeof runCli>>;
let secondImport: Awaited<ReturnType<typeof runCli>>;

async function kpi(server: LocalServer, path: string): Promise<ReferenceValue[]> {
  const concrete = concretePath(path);
  const response = await fetch(
    `${server.url}/apps/${APP}${concrete}?${new URLSearchParams({ ...RANGE, timezone: 'UTC' })}`,
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { values: ReferenceValue[] }).values;
}

beforeAll(async () => {
  exportDir = await tempDir('exports');
  importedLake = await tempDir('imported-lake');
  doorsLake = await tempDir('doors-lake');
  sent = generateEvents({ seed: 15, appId: APP, from: '2026-01-25', to: '2026-03-25', clients: 20 }).filter(
    (r) => !r.event_type.startsWith('_endpoint.'),
  );
  const seen = new Set<string>();
  const firsts: EventRecord[] = [];
  const retries: EventRecord[] = [];
  for (const r of sent) {
    const key = `${r.client.client_id}/${r.event_id}/${r.event_timestamp}`;
    (seen.has(key) ? retries : firsts).push(r);
    seen.add(key);
  }
  const viaPinpoint = (r: EventRecord) => Number(r.client.client_id.split('-')[1]) % 2 === 0;

  // The exports: a gzipped Pinpoint event-stream object (records concatenated without
  // delimiters), its redelivered duplicates in another object, and a Mobile Analytics export.
  const stream = join(exportDir.path, 'pinpoint', '2026', '03', '25', '23');
  const analytics = join(exportDir.path, 'awsma', 'events', APP, '2026', '03', '25');
  await mkdir(stream, { recursive: true });
  await mkdir(analytics, { recursive: true });
  const concatenated = (records: EventRecord[]) =>
    gzipSync(records.map((r) => JSON.stringify(streamRecord(r))).join(''));
  await writeFile(
    join(stream, 'events-1-2026-03-25-23-00-00-a1.gz'),
    concatenated(firsts.filter(viaPinpoint)),
  );
  await writeFile(
    join(stream, 'events-1-2026-03-25-23-05-00-b2.gz'),
    concatenated(retries.filter(viaPinpoint)),
  );
  const lines = (records: EventRecord[]) =>
    gzipSync(records.map((r) => `${JSON.stringify(legacyRecord(r))}\n`).join(''));
  await writeFile(join(analytics, 'part-0000.gz'), lines(firsts.filter((r) => !viaPinpoint(r))));
  await writeFile(join(analytics, 'part-0001.gz'), lines(retries.filter((r) => !viaPinpoint(r))));

  firstImport = await runCli('import.ts', ['--data-dir', importedLake.path, exportDir.path]);
  secondImport = await runCli('import.ts', ['--data-dir', importedLake.path, exportDir.path]);

  const options = {
    port: 0,
    host: '127.0.0.1',
    sampleData: false,
    rollups: true,
    lakeStartDate: TEST_LAKE.startDate,
    now: () => NOW,
  };
  [imported, viaDoors] = await Promise.all([
    startLocalServer({ ...options, dataDir: importedLake.path }),
    startLocalServer({ ...options, dataDir: doorsLake.path }),
  ]);
  await Promise.all([imported.ready, viaDoors.ready]);
  // A Pinpoint request keys events by id, so events that reuse an id go in separate requests.
  const distinctIds = (records: EventRecord[]): EventRecord[][] => {
    const rounds: { keys: Set<string>; records: EventRecord[] }[] = [];
    for (const r of records) {
      const key = `${r.client.client_id}/${r.event_id}`;
      let round = rounds.find((x) => !x.keys.has(key));
      if (!round) {
        round = { keys: new Set(), records: [] };
        rounds.push(round);
      }
      round.keys.add(key);
      round.records.push(r);
    }
    return rounds.map((x) => x.records);
  };
  const requests: DoorRequest[] = [
    ...distinctIds(firsts.filter(viaPinpoint)).flatMap((batch) => pinpointRequests(APP, batch)),
    ...mobileAnalyticsRequests(
      APP,
      firsts.filter((r) => !viaPinpoint(r)),
    ),
    ...distinctIds(retries.filter(viaPinpoint)).flatMap((batch) => pinpointRequests(APP, batch)),
    ...mobileAnalyticsRequests(
      APP,
      retries.filter((r) => !viaPinpoint(r)),
    ),
  ];
  for (const request of requests) {
    const response = await fetch(`${viaDoors.url}${request.path}`, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
    });
    expect(response.status).toBe(202);
  }
}, 240_000);

afterAll(async () => {
  await Promise.all([imported?.close(), viaDoors?.close()]);
  await Promise.all([exportDir, importedLake, doorsLake].map((d) => d?.remove()));
});

describe('importing a folder of exports, then serving it', () => {
  it('imports every event of both exportDir once and reports the redelivered ones as duplicates', () => {
    expect(firstImport.code).toBe(0);
    const distinct = new Set(sent.map((r) => `${r.client.client_id}/${r.event_id}/${r.event_timestamp}`))
      .size;
    expect(firstImport.stdout).toMatch(
      new RegExp(`^Imported ${distinct.toLocaleString('en-US')} events from 4 files`),
    );
    expect(firstImport.stdout).toContain(
      `duplicates of events already in the lake: ${(sent.length - distinct).toLocaleString('en-US')}`,
    );
    expect(firstImport.stdout).toContain('rejected: 0');
  });

  it('adds nothing on a second import of the same folder', () => {
    expect(secondImport.code).toBe(0);
    expect(secondImport.stdout).toMatch(/^Imported 0 events from 4 files/);
    expect(secondImport.stdout).toContain(
      `duplicates of events already in the lake: ${sent.length.toLocaleString('en-US')}`,
    );
  });

  it.each(PATHS)(
    'answers %s as for the same events sent through the doors, and as the reference',
    async (path) => {
      const fromImport = await kpi(imported, path);
      expectSameSeries(path, fromImport, await kpi(viaDoors, path));
      const reference = referenceKpi(sent, {
        appId: APP,
        path,
        ...RANGE,
        timezone: 'UTC',
        lastCompleteDate: '2026-03-25',
        ...NAMES,
      });
      expectSameSeries(path, fromImport, reference);
    },
  );

  it('refuses, in one line, to import into a lake a server holds', async () => {
    const result = await runCli('import.ts', ['--data-dir', importedLake.path, exportDir.path]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^Error: The data dir .* is in use by a local server \(port \d+\) \(pid \d+\); stop it first or choose another --data-dir$/,
    );
  });
});
