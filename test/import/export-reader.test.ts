import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord } from '../../lambdas/core/event-record';
import { readExport, SourceReadError } from '../../lambdas/import/export-reader';
import { CountsBuilder, type Rejection } from '../../lambdas/import/import-counts';
import { importFile } from '../../lambdas/import/import-file';
import type { ImportSource } from '../../lambdas/import/import-source';
import { encodeRecord } from '../../lambdas/ingest/normalise/encode-record';
import { normaliseStreamRecord } from '../../lambdas/ingest/normalise/stream-record';
import monetization from '../ingest/fixtures/legacy-monetization.json';
import sessionStart from '../ingest/fixtures/legacy-session-start.json';
import appEvent from '../ingest/fixtures/stream-app-event.json';
import withEndpoint from '../ingest/fixtures/stream-app-event-with-endpoint.json';
import campaign from '../ingest/fixtures/stream-campaign-event.json';
import email from '../ingest/fixtures/stream-email-event.json';
import journey from '../ingest/fixtures/stream-journey-event.json';
import sms from '../ingest/fixtures/stream-sms-event.json';
import { tempDir } from '../local/support/lake-fixtures';
import { eventRecord } from '../support/generate-events';
import { TEST_LAKE } from '../support/lake';
import { writeLake } from '../support/write-lake';
import { memorySource } from './support/memory-source';

const json = (value: unknown) => JSON.stringify(value);
/** After every fixture's time, so the lake window refuses none of them. */
const IMPORTED_AT = Date.parse('2026-06-01T00:00:00Z');

async function imported(source: ImportSource, appMap = new Map<string, string>()) {
  const counts = new CountsBuilder();
  const rejections: Rejection[] = [];
  const events: EventRecord[] = [];
  for await (const batch of importFile(source, {
    context: { appMap, lake: TEST_LAKE, importedAt: IMPORTED_AT },
    counts,
    onRejected: (r) => rejections.push(r),
  })) {
    events.push(...batch);
  }
  return { events, counts: counts.value, rejections };
}

describe('reading the exports app teams have', () => {
  it('reads a gzipped Pinpoint event-stream object of records concatenated without delimiters', async () => {
    const content = gzipSync([appEvent, sms, withEndpoint, email, campaign, journey].map(json).join(''));
    const { events, counts, rejections } = await imported(
      memorySource('s3://b/2017/02/24/17/stream-1.gz', content),
    );
    expect(events).toEqual([normaliseStreamRecord(appEvent, 0), normaliseStreamRecord(withEndpoint, 0)]);
    expect(counts.skipped).toEqual({
      '_SMS.SUCCESS': 1,
      '_email.send': 1,
      '_campaign.send': 1,
      '_journey.send': 1,
    });
    expect(rejections).toEqual([]);
    expect(counts).toMatchObject({ files: 1, bytes: content.byteLength });
  });

  it('reads a Mobile Analytics auto-export file (gzip, one legacy flat event per line)', async () => {
    const content = gzipSync(`${json(sessionStart)}\n${json(monetization)}\n`);
    const { events } = await imported(memorySource('awsma/events/a1b2/2018/02/02/02/part-0.gz', content));
    expect(events.map((e) => [e.event_type, e.client.client_id, e.session.session_id])).toEqual([
      ['_session.start', 'A1B2C3D4-E5F6-G7H8-I9J0-K1L2M3N4O5P6', '70cf4faf-BAAABA8A-20180202-021524806'],
      [
        '_monetization.purchase',
        'A1B2C3D4-E5F6-G7H8-I9J0-K1L2M3N4O5P6',
        'e79da94c-9BD1DF63-20180202-021345277',
      ],
    ]);
    expect(events[1]?.metrics).toEqual({ _item_price: 76.5811965811966, _quantity: 1 });
  });

  it('tells gzip by content: a gzipped file without .gz, and a .gz file that is plain text', async () => {
    const gz = await imported(memorySource('export-without-extension', gzipSync(json(appEvent))));
    const plain = await imported(memorySource('plain.json.gz', json(appEvent)));
    expect(gz.events).toHaveLength(1);
    expect(plain.events).toEqual(gz.events);
  });

  it('reads concatenated gzip members (`cat a.gz b.gz`)', async () => {
    const content = Buffer.concat([gzipSync(json(appEvent)), gzipSync(json(withEndpoint))]);
    expect((await imported(memorySource('joined.gz', content))).events).toHaveLength(2);
  });

  it('reports a truncated last record with file and position, keeping the records before it', async () => {
    const text = `${json(appEvent)}\n${json(withEndpoint).slice(0, 120)}`;
    const { events, rejections } = await imported(memorySource('cut.json', text));
    expect(events).toHaveLength(1);
    expect(rejections).toEqual([
      {
        file: 'cut.json',
        position: `record 2 at byte ${json(appEvent).length + 1}`,
        reason: 'the data ends inside this record (the file is truncated)',
      },
    ]);
  });

  it('reports a gzip stream that breaks off, after the records before the break', async () => {
    const records = Array.from({ length: 200 }, (_, i) =>
      json({ ...appEvent, event_timestamp: 1487973802507 + i }),
    );
    const content = gzipSync(records.join('\n'));
    const { events, rejections } = await imported(
      memorySource('broken.gz', content.subarray(0, content.length - 40)),
    );
    expect(events.length).toBeGreaterThan(150);
    expect(events.length).toBeLessThan(200);
    expect(rejections.at(-1)?.reason).toMatch(/^the gzip data is truncated or corrupt/);
  });

  it('rejects a record the normaliser refuses, with its reason, and goes on', async () => {
    const bad = { ...appEvent, event_timestamp: 'yesterday' };
    const misspelt = { ...appEvent, atributes: {} };
    const { events, rejections } = await imported(
      memorySource('mixed.json', [bad, appEvent, misspelt].map(json).join('\n')),
    );
    expect(events).toHaveLength(1);
    expect(rejections.map((r) => [r.position, r.reason])).toEqual([
      ['record 1 at byte 0', expect.stringContaining('event_timestamp')],
      [expect.stringMatching(/^record 3 at byte \d+$/), expect.stringContaining('atributes')],
    ]);
  });

  it('reads a JSON array of records, element by element', async () => {
    const { events, rejections } = await imported(
      memorySource('array.json', json([appEvent, 42, withEndpoint])),
    );
    expect(events).toHaveLength(2);
    expect(rejections.map((r) => r.position)).toEqual(['record 1 at byte 0, element 2']);
  });

  it('reads NDJSON of §1 records (what the lake holds) back unchanged', async () => {
    const records = [normaliseStreamRecord(withEndpoint, 0), normaliseStreamRecord(monetization, 0)];
    const { events } = await imported(memorySource('records.ndjson', records.map(encodeRecord).join('')));
    expect(events).toEqual(records);
  });

  it("reads the lake's own Parquet files back to the same records", async () => {
    const dir = await tempDir('import-parquet');
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const written = [
        { ...normaliseStreamRecord(withEndpoint, 0) },
        eventRecord({
          appId: 'a',
          clientId: 'c',
          eventId: 'e',
          eventType: '_session.start',
          timestamp: 1767225600123,
        }),
      ].map((r) => ({ ...r, application: { ...r.application, app_id: 'a' } }));
      await writeLake(instance, dir.path, written);
      const partition = join(dir.path, 'events', 'app_id=a', 'dt=2026-01-01');
      const [name] = await readdir(partition);
      const bytes = await readFile(join(partition, name ?? ''));
      const { events, rejections } = await imported(memorySource(name ?? '', bytes));
      expect(rejections).toEqual([]);
      const byId = (a: EventRecord, b: EventRecord) => a.event_id.localeCompare(b.event_id);
      expect([...events].sort(byId)).toEqual([...written].sort(byId));
    } finally {
      instance.closeSync();
      await dir.remove();
    }
  });

  it('reports a file that is broken Parquet, without stopping', async () => {
    const bytes = Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(64, 7)]);
    const { rejections } = await imported(memorySource('broken.parquet', bytes));
    expect(rejections).toEqual([
      {
        file: 'broken.parquet',
        position: 'row 1',
        reason: expect.stringMatching(/^not a readable Parquet file/),
      },
    ]);
  });

  it('stores app ids under new names with an app map, in both layouts', async () => {
    const appMap = new Map([
      ['a1b2c3d4e5f6g7h8i9j0k1l2m3n4o5p6', 'my-game'],
      ['7d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a', 'my-shop'],
    ]);
    const { events } = await imported(
      memorySource('x', [sessionStart, appEvent, withEndpoint].map(json).join('')),
      appMap,
    );
    expect(events.map((e) => e.application.app_id)).toEqual(['my-game', 'my-game', 'my-shop']);
  });

  it('fails the file, not a record, when its bytes cannot be read', async () => {
    const source: ImportSource = {
      ...memorySource('s3://b/k', json(appEvent)),
      stream: async function* () {
        yield Buffer.from('{"a":');
        throw new Error('socket hang up');
      },
    };
    await expect(async () => {
      for await (const _ of readExport(source)) {
        // read to the end
      }
    }).rejects.toThrow(SourceReadError);
  });

  it('tells how many bytes were read, up to the file size', async () => {
    const content = gzipSync([appEvent, withEndpoint].map(json).join(''));
    let read = 0;
    for await (const _ of readExport(memorySource('x.gz', content), (n) => {
      read += n;
    })) {
      // read to the end
    }
    expect(read).toBe(content.byteLength);
  });
});
