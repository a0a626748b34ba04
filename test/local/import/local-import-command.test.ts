import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeRecord } from '../../../lambdas/ingest/normalise/encode-record';
import { runLocalImport } from '../../../local/import/local-import-command';
import { eventRecord } from '../../support/generate-events';
import { tempDir } from '../support/lake-fixtures';

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
});
