import { stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { utcDay } from '../../../lambdas/core/calendar-day';
import { DAY_MS } from '../../../lambdas/core/time';
import { type CliProcess, runCli, startCli } from '../support/cli-process';
import { clientContext } from '../support/door-requests';
import { filesBelow, lakeRows, tempDir } from '../support/lake-fixtures';

/** `npm start` as a user runs it: `tsx local/cli/start.ts` in a child process. */

let dir: Awaited<ReturnType<typeof tempDir>>;
let server: CliProcess;
let url: string;
let started: number;

const yesterday = () => utcDay(Date.now() - DAY_MS);

beforeAll(async () => {
  dir = await tempDir('local-cli');
  started = performance.now();
  server = startCli('start.ts', ['--port', '0', '--data-dir', join(dir.path, 'lake')]);
  const [, listening] = await server.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  url = listening ?? '';
});

afterAll(async () => {
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await dir.remove();
});

describe('npm start', () => {
  it('answers DAU of the sample app for the last 30 days, none of them zero, within a minute', async () => {
    const response = await fetch(`${url}/apps/demo/kpis/dau/count`);
    const firstAnswerMs = performance.now() - started;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { endDate: string; values: { date: string; value: number }[] };
    expect(body.endDate).toBe(yesterday());
    expect(body.values).toHaveLength(30);
    expect(body.values.every((v) => v.value > 0)).toBe(true);
    expect(firstAnswerMs).toBeLessThan(60_000);
    expect(server.stdout()).toContain(`curl '${url}/apps/demo/kpis/day-1-retention/count'`);
  });

  it('serves the dashboard at / to a browser, and lists the sample app', async () => {
    expect(server.stdout()).toContain(`Dashboard: open ${url}/ in a browser`);
    const page = await fetch(`${url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<body data-mode="local">');
    const apps = (await (await fetch(`${url}/apps`)).json()) as { apps: string[] };
    expect(apps.apps).toContain('demo');
  });

  it('counts events sent through both doors in the very next answer', async () => {
    const day = yesterday();
    const pinpoint = await fetch(`${url}/v1/apps/cli-app/events`, {
      method: 'POST',
      body: JSON.stringify({
        BatchItem: {
          'device-a': { Events: { e1: { EventType: '_session.start', Timestamp: `${day}T10:00:00Z` } } },
        },
      }),
    });
    const mobileAnalytics = await fetch(`${url}/2014-06-05/events`, {
      method: 'POST',
      headers: { 'x-amz-client-context': clientContext('cli-app', 'device-b') },
      body: JSON.stringify({ events: [{ eventType: '_session.start', timestamp: `${day}T11:00:00Z` }] }),
    });
    expect([pinpoint.status, mobileAnalytics.status]).toEqual([202, 202]);
    const dau = await fetch(`${url}/apps/cli-app/kpis/dau/count?startDate=${day}&endDate=${day}`);
    expect(((await dau.json()) as { values: unknown }).values).toEqual([{ date: day, value: 2 }]);
  });

  it('refuses a second server on the same data dir with one line', async () => {
    const second = await runCli('start.ts', ['--port', '0', '--data-dir', join(dir.path, 'lake')]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      /^Error: The data dir .*lake is in use by a local server \(port 0\) \(pid \d+\); stop it first or choose another --data-dir\n$/,
    );
  });

  it('stops on SIGTERM with exit code 0 after finishing the request in flight, leaving the lake unlocked', async () => {
    const encoder = new TextEncoder();
    let finishBody: () => void = () => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('{"BatchItem": {"late-device": {"Events": {"e1": '));
        finishBody = () => {
          controller.enqueue(
            encoder.encode(`{"EventType": "in_flight", "Timestamp": "${yesterday()}T12:00:00Z"}}}}}`),
          );
          controller.close();
        };
      },
    });
    const inFlight = fetch(`${url}/v1/apps/cli-app/events`, {
      method: 'POST',
      body,
      duplex: 'half',
    } as RequestInit);
    // Time for the request's headers to reach the server (it only then counts as in flight).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    server.child.kill('SIGTERM');
    // The body is finished only once the server is stopping.
    while (!server.stderr().includes('SIGTERM: finishing requests in flight')) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    finishBody();

    expect((await inFlight).status).toBe(202);
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toContain('SIGTERM: finishing requests in flight, then stopping');
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const stored = await lakeRows(instance, join(dir.path, 'lake'), 'event_type');
      expect(stored.filter((r) => r.event_type === 'in_flight')).toHaveLength(1);
    } finally {
      instance.closeSync();
    }
    const files = await filesBelow(join(dir.path, 'lake'));
    // Parquet and the rollups' manifests: no journal, staged file or lock is left.
    expect(files.filter((f) => !f.endsWith('.parquet') && !f.startsWith('rollups/manifests/'))).toEqual([]);
  });
});

describe('npm start refuses to run, with one line and exit code 1,', () => {
  let taken: Server;
  beforeAll(async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it('when the port is in use', async () => {
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await runCli('start.ts', [
      '--port',
      String(port),
      '--no-sample-data',
      '--data-dir',
      join(dir.path, 'p'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Error: Port ${port} is already in use on 127.0.0.1; stop what uses it or choose another with --port\n`,
    );
  });

  it('when the data dir is a file', async () => {
    const file = join(dir.path, 'a-file');
    await writeFile(file, '');
    const result = await runCli('start.ts', ['--no-sample-data'], { DATA_DIR: file });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `Error: The data dir ${file} is a file, not a folder; choose a folder with --data-dir\n`,
    );
  });

  it('when a flag is wrong', async () => {
    const result = await runCli('start.ts', [], { PORT: 'eighty' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: PORT must be a whole number from 0 to 65535; got "eighty"\n');
  });

  it('when sample data is asked for a day the calendar does not have, before writing anything', async () => {
    const dataDir = join(dir.path, 'no-feb-30');
    const result = await runCli('sample-data.ts', ['--end-date', '2026-02-30', '--data-dir', dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: --end-date must be a calendar day as YYYY-MM-DD; got "2026-02-30"\n');
    await expect(stat(dataDir)).rejects.toThrow('ENOENT');
  });
});
