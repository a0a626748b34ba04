/**
 * Import benchmark: events/s of `npm run import` on this machine, side by side in one run:
 * reading and normalising only (gunzip, split, parse, normalise), a first import into an empty
 * lake (plus the identity look-ups and the lake's sink), and a second import of the same files
 * (everything a duplicate, nothing written).
 *
 *   npx tsx bench/import-bench.ts [--events N]   # a markdown table, then the figures as JSON
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../lambdas/core/event-record';
import { DEFAULT_LAKE_START_DATE, lakeWindow } from '../lambdas/core/lake-window';
import { CountsBuilder } from '../lambdas/import/import-counts';
import { importFile } from '../lambdas/import/import-file';
import { DuckDbEngine } from '../local/duckdb/duckdb-engine';
import { importIntoLake } from '../local/import/lake-import';
import { importSources } from '../local/import/local-files';
import { Lake } from '../local/lake/lake';
import { generateEvents } from '../test/support/generate-events';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const { values } = parseArgs({ options: { events: { type: 'string', default: '120000' } } });
const target = Number(values.events);

/** The lake of `npm start` and `npm run import` without flags. */
const LAKE = lakeWindow(DEFAULT_LAKE_START_DATE);

/** A Pinpoint event-stream record (nested, no event id: the importer derives it). */
function streamRecord(r: EventRecord): string {
  const { event_id: _id, ...rest } = r;
  return JSON.stringify(rest);
}

/** A Mobile Analytics export line (legacy flat layout). */
function legacyRecord(r: EventRecord): string {
  return JSON.stringify({
    application_key: r.application.app_id,
    event_type: r.event_type,
    timestamp: r.event_timestamp,
    arrival_timestamp: r.arrival_timestamp,
    unique_id: r.client.client_id,
    platform: 'Android',
    attributes: { ...r.attributes, '_session.id': r.session.session_id ?? '' },
    metrics: r.metrics,
  });
}

async function main(): Promise<void> {
  const clients = Math.max(10, Math.round(target / 80));
  const events = generateEvents({ seed: 5, appId: 'bench', from: '2025-01-01', to: '2025-03-31', clients })
    .filter((r) => !r.event_type.startsWith('_endpoint.'))
    .slice(0, target);
  const input = await mkdtemp(join(tmpdir(), 'import-bench-in-'));
  const lake = await mkdtemp(join(tmpdir(), 'import-bench-lake-'));
  const perFile = 25_000;
  for (let i = 0; i * perFile < events.length; i++) {
    const slice = events.slice(i * perFile, (i + 1) * perFile);
    const content =
      i % 2 === 0 ? slice.map(streamRecord).join('') : slice.map((r) => `${legacyRecord(r)}\n`).join('');
    await writeFile(join(input, `part-${i}.gz`), gzipSync(content));
  }
  const sources = await importSources([input]);
  const bytes = sources.reduce((n, s) => n + s.size, 0);

  let started = performance.now();
  let read = 0;
  for (const source of sources) {
    for await (const batch of importFile(source, {
      context: { appMap: new Map(), lake: LAKE, importedAt: Date.now() },
      counts: new CountsBuilder(),
    })) {
      read += batch.length;
    }
  }
  const readSeconds = (performance.now() - started) / 1000;

  const instance = await DuckDBInstance.create(':memory:');
  const importOnce = async () => {
    const begin = performance.now();
    const live = await Lake.open({ dataDir: lake, command: 'the import benchmark', instance });
    let counts: Awaited<ReturnType<typeof importIntoLake>>;
    try {
      counts = await importIntoLake({
        sources,
        sink: live.sink,
        engine: new DuckDbEngine({ events: live, instance }),
        lake: LAKE,
      });
    } finally {
      // Until what the import wrote to the log is in Parquet.
      await live.close();
    }
    return { counts, seconds: (performance.now() - begin) / 1000 };
  };
  started = performance.now();
  const first = await importOnce();
  const second = await importOnce();
  instance.closeSync();
  await rm(input, { recursive: true, force: true });
  await rm(lake, { recursive: true, force: true });

  const rows = [
    ['read and normalise only (gunzip, split, parse, normalise)', read, readSeconds],
    [
      'first import into an empty lake (+ identity look-ups, lake sink)',
      first.counts.imported + first.counts.duplicates,
      first.seconds,
    ],
    [
      'second import of the same files (all duplicates, nothing written)',
      second.counts.duplicates,
      second.seconds,
    ],
  ] as const;
  process.stdout.write(
    `${events.length.toLocaleString('en-US')} events in ${sources.length} gzip files (${(bytes / 1_048_576).toFixed(1)} MiB), half Pinpoint event stream, half Mobile Analytics export\n\n`,
  );
  process.stdout.write('| step | events | seconds | events/s |\n| --- | ---: | ---: | ---: |\n');
  for (const [step, n, seconds] of rows) {
    process.stdout.write(
      `| ${step} | ${n.toLocaleString('en-US')} | ${seconds.toFixed(1)} | ${Math.round(n / seconds).toLocaleString('en-US')} |\n`,
    );
  }
  process.stdout.write(
    `\n${JSON.stringify({ events: events.length, bytes, rows: rows.map(([step, n, s]) => ({ step, events: n, seconds: s })) })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
