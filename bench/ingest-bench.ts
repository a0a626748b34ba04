/**
 * Ingest benchmark: normalise + encode throughput per door format (events/s on one core),
 * and the minified bundle size of the two ingest Lambda handlers.
 *
 *   npx tsx bench/ingest-bench.ts          # markdown table, then the figures as JSON
 */
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const BATCH = 100;
const RUN_MS = 1_000;
const RUNS = 5;

const attributes = (i: number) =>
  Object.fromEntries(Array.from({ length: 10 }, (_, k) => [`attribute_${k}`, `value-${i}-${k}`]));
const metrics = (i: number) => ({ score: i * 3, seconds: i / 7, level: i % 50 });
/** When the events below (2026-01-01) arrive: the next day, so every one is within the lake. */
const ARRIVAL = Date.UTC(2026, 0, 2);
const iso = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1_000).toISOString();

function pinpointBody(): string {
  const events = Object.fromEntries(
    Array.from({ length: BATCH }, (_, i) => [
      `event-${i}`,
      {
        EventType: i % 10 ? 'level_complete' : '_session.start',
        Timestamp: iso(i),
        AppPackageName: 'com.example.game',
        AppTitle: 'Game',
        AppVersionCode: '42',
        SdkName: 'aws-amplify-js',
        ClientSdkVersion: '6.6.4',
        Session: { Id: 'session-1', StartTimestamp: iso(0) },
        Attributes: attributes(i),
        Metrics: metrics(i),
      },
    ]),
  );
  const Endpoint = {
    ChannelType: 'GCM',
    Demographic: {
      AppVersion: '4.2.0',
      Locale: 'en_US',
      Make: 'Google',
      Model: 'Pixel 7',
      Platform: 'Android',
      PlatformVersion: '14',
    },
    Location: { Country: 'US' },
    User: { UserId: 'user-1' },
  };
  return JSON.stringify({ BatchItem: { 'endpoint-1': { Endpoint, Events: events } } });
}

const clientContextHeader = JSON.stringify({
  client: {
    client_id: 'client-1',
    app_title: 'Game',
    app_version_name: '4.2.0',
    app_version_code: '42',
    app_package_name: 'com.example.game',
  },
  custom: {},
  env: { platform: 'android', model: 'Pixel 7', make: 'Google', platform_version: '14', locale: 'en_US' },
  services: { mobile_analytics: { app_id: 'game' } },
});

function mobileAnalyticsBody(): string {
  const events = Array.from({ length: BATCH }, (_, i) => ({
    eventType: i % 10 ? 'level_complete' : '_session.start',
    timestamp: iso(i),
    version: 'v2.0',
    session: { id: 'session-1', startTimestamp: iso(0) },
    attributes: attributes(i),
    metrics: metrics(i),
  }));
  return JSON.stringify({ events });
}

function nestedRecord(i: number, canonical: boolean): object {
  return {
    ...(canonical ? { event_id: `event-${i}` } : {}),
    event_type: 'level_complete',
    event_timestamp: Date.UTC(2026, 0, 1) + i,
    arrival_timestamp: Date.UTC(2026, 0, 1) + i + 900,
    event_version: canonical ? '3.1' : '3.0',
    application: {
      app_id: 'game',
      package_name: 'com.example.game',
      title: 'Game',
      version_name: '4.2.0',
      version_code: '42',
      sdk: { name: 'aws-amplify-js', version: '6.6.4' },
    },
    client: { client_id: `client-${i % 1000}` },
    device: {
      locale: { code: 'en_US', country: 'US', language: 'en' },
      make: 'Google',
      model: 'Pixel 7',
      platform: { name: 'Android', version: '14' },
    },
    session: { session_id: 'session-1', start_timestamp: Date.UTC(2026, 0, 1) },
    attributes: attributes(i),
    metrics: metrics(i),
    endpoint: canonical ? '{"ChannelType":"GCM"}' : { ChannelType: 'GCM' },
  };
}

function flatRecord(i: number): object {
  return {
    application_key: 'game',
    account_id: '111122223333',
    event_type: 'level_complete',
    timestamp: Date.UTC(2026, 0, 1) + i,
    arrival_timestamp: Date.UTC(2026, 0, 1) + i + 900,
    unique_id: `client-${i % 1000}`,
    platform: 'Android',
    model: 'Pixel 7',
    platform_version: '14',
    make: 'Google',
    locale: 'en_US',
    sdk_version: '2.6.5',
    sdk_name: 'aws-sdk-android',
    app_package_name: 'com.example.game',
    app_version_name: '4.2.0',
    app_version_code: '42',
    user_agent: 'aws-sdk-android/2.6.5 Linux/5.10 en_US',
    app_title: 'Game',
    attributes: {
      ...attributes(i),
      '_session.id': 'session-1',
      '_session.startTime': String(Date.UTC(2026, 0, 1)),
    },
    metrics: metrics(i),
  };
}

/** Events per second of `work` (which handles `events` events), run for RUN_MS after a warm-up. */
function oneRun(events: number, work: () => void): number {
  let done = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < RUN_MS) {
    work();
    done += events;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return Math.round((done / elapsedMs) * 1000);
}

/** The median of RUNS runs, so that a busy machine skews the figure less. */
function throughput(events: number, work: () => void): number {
  for (let i = 0; i < 50; i++) work();
  const runs = Array.from({ length: RUNS }, () => oneRun(events, work)).sort((a, b) => a - b);
  return runs[Math.floor(RUNS / 2)] ?? Number.NaN;
}

async function bundleSize(entry: string): Promise<{ bytes: number; gzipBytes: number }> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote no bundle for ${entry}`);
  const contents = output.contents;
  return { bytes: contents.byteLength, gzipBytes: gzipSync(contents).byteLength };
}

async function main(): Promise<void> {
  const { normalisePinpointEvents } = await import('../lambdas/ingest/normalise/pinpoint-events');
  const { parseClientContext } = await import('../lambdas/ingest/normalise/client-context');
  const { normaliseMobileAnalyticsEvents } = await import(
    '../lambdas/ingest/normalise/mobile-analytics-events'
  );
  const { encodeRecord } = await import('../lambdas/ingest/normalise/encode-record');
  const { transformRecords } = await import('../lambdas/ingest/transform-records');
  const { DEFAULT_LAKE_START_DATE, lakeWindow } = await import('../lambdas/core/lake-window');
  const lake = lakeWindow(DEFAULT_LAKE_START_DATE);

  const pinpoint = pinpointBody();
  const mobile = mobileAnalyticsBody();
  const firehoseEvent = (records: object[]) => ({
    invocationId: 'bench',
    deliveryStreamArn: 'arn:aws:firehose:us-east-1:111122223333:deliverystream/bench',
    region: 'us-east-1',
    records: records.map((r, i) => ({
      recordId: String(i),
      approximateArrivalTimestamp: ARRIVAL,
      data: Buffer.from(JSON.stringify(r)).toString('base64'),
    })),
  });
  const streamBatch = 500;
  const nested = firehoseEvent(Array.from({ length: streamBatch }, (_, i) => nestedRecord(i, false)));
  const canonical = firehoseEvent(Array.from({ length: streamBatch }, (_, i) => nestedRecord(i, true)));
  const flat = firehoseEvent(Array.from({ length: streamBatch }, (_, i) => flatRecord(i)));

  const rows = [
    {
      format: 'Pinpoint PutEvents (door: parse body, normalise, size check, encode)',
      eventsPerSecond: throughput(BATCH, () => {
        const outcomes = normalisePinpointEvents(JSON.parse(pinpoint), {
          appId: 'game',
          arrivalTimestamp: ARRIVAL,
          lake,
        });
        for (const o of outcomes) for (const e of o.events) if (e.record) encodeRecord(e.record);
      }),
    },
    {
      format: 'Mobile Analytics PutEvents (door: client context, parse body, normalise, size check, encode)',
      eventsPerSecond: throughput(BATCH, () => {
        const clientContext = parseClientContext(clientContextHeader);
        const records = normaliseMobileAnalyticsEvents(JSON.parse(mobile), {
          clientContext,
          arrivalTimestamp: ARRIVAL,
          lake,
        });
        for (const r of records) encodeRecord(r);
      }),
    },
    {
      format: 'Pinpoint event stream, nested (transformer: base64, parse, normalise, encode, base64)',
      eventsPerSecond: throughput(streamBatch, () => transformRecords(nested, lake)),
    },
    {
      format: 'Legacy flat record (transformer)',
      eventsPerSecond: throughput(streamBatch, () => transformRecords(flat, lake)),
    },
    {
      format: 'Canonical §1 record, direct producer or door output (transformer pass-through)',
      eventsPerSecond: throughput(streamBatch, () => transformRecords(canonical, lake)),
    },
  ];
  const bundles = {
    'lambdas/handlers/ingest.ts': await bundleSize('lambdas/handlers/ingest.ts'),
    'lambdas/handlers/transformer.ts': await bundleSize('lambdas/handlers/transformer.ts'),
  };

  console.log(`Node ${process.version}, ${process.arch}, one core, median of ${RUNS} runs of ${RUN_MS} ms\n`);
  console.log('| format | events/s |\n|---|---:|');
  for (const r of rows) console.log(`| ${r.format} | ${r.eventsPerSecond.toLocaleString('en-US')} |`);
  console.log(
    '\n| bundle (esbuild, minified, node24, AWS SDK bundled) | bytes | gzip bytes |\n|---|---:|---:|',
  );
  for (const [entry, size] of Object.entries(bundles)) {
    console.log(
      `| ${entry} | ${size.bytes.toLocaleString('en-US')} | ${size.gzipBytes.toLocaleString('en-US')} |`,
    );
  }
  console.log(`\n${JSON.stringify({ node: process.version, throughput: rows, bundles }, null, 2)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
