import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LOG_DIR } from '../../../local/lake/lake-log';
import { type CliProcess, killGroup, startCli } from '../support/cli-process';
import { filesBelow, lakeRows, tempDir } from '../support/lake-fixtures';

/**
 * `npm start` killed with SIGKILL in the middle of a load from several clients, several times
 * on one lake (so kills land in log writes, conversions and compactions, and in the start-up
 * that recovers from the previous kill), then started again: every event answered 202 is
 * counted, exactly once, and nothing that was never sent; no run logs a warning.
 */

const APP = 'crash-app';
const DAY = '2026-01-10';
const CLIENTS = 8;
/** How long each run takes load before it is killed (ms), from its first answered request. */
const KILL_AFTER = [900, 1500, 600, 2100];

let dir: Awaited<ReturnType<typeof tempDir>>;
const sent = new Set<string>();
const acknowledged = new Set<string>();
const output: string[] = [];

/** Waits until the process that holds the lake's lock has died (tsx exits before its node child). */
async function holderGone(): Promise<void> {
  const lock = await readFile(join(dir.path, '.lock'), 'utf8').catch(() => undefined);
  const pid = lock === undefined ? undefined : (JSON.parse(lock) as { pid: number }).pid;
  const alive = () => {
    try {
      return pid !== undefined && process.kill(pid, 0);
    } catch {
      return false;
    }
  };
  for (let waited = 0; alive(); waited += 20) {
    if (waited > 10_000) throw new Error(`pid ${pid} outlived SIGKILL by 10 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function start(): Promise<{ server: CliProcess; url: string }> {
  const server = startCli('start.ts', ['--port', '0', '--no-sample-data', '--data-dir', dir.path], {}, true);
  const [, url] = await server.waitForStdout(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  return { server, url: url ?? '' };
}

/** One Pinpoint request of `size` new events; resolves with its status, or undefined when the connection died. */
async function send(url: string, name: string, size: number): Promise<number | undefined> {
  const ids = Array.from({ length: size }, (_, i) => `${name}-${i}`);
  const Events = Object.fromEntries(
    ids.map((id, i) => [
      id,
      { EventType: 'crash_test', Timestamp: `${DAY}T10:00:${String(i).padStart(2, '0')}Z` },
    ]),
  );
  for (const id of ids) sent.add(id);
  try {
    const response = await fetch(`${url}/v1/apps/${APP}/events`, {
      method: 'POST',
      body: JSON.stringify({ BatchItem: { [`device-${name}`]: { Events } } }),
    });
    if (response.status === 202) for (const id of ids) acknowledged.add(id);
    return response.status;
  } catch {
    return undefined;
  }
}

/** CLIENTS clients sending until the server dies; request sizes alternate between 1 and 10 events. */
async function load(run: number, url: string, killAfterMs: number, kill: () => void): Promise<void> {
  let first: number | undefined;
  let alive = true;
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let n = 0; alive; n++) {
        const status = await send(url, `r${run}-c${client}-n${n}`, n % 2 === 0 ? 1 : 10);
        if (status === undefined) {
          alive = false;
          return;
        }
        expect(status).toBe(202);
        first ??= Date.now();
        if (alive && Date.now() - first >= killAfterMs) {
          alive = false;
          kill();
        }
      }
    }),
  );
}

beforeAll(async () => {
  dir = await tempDir('crash-recovery');
});

afterAll(async () => {
  await dir.remove();
});

describe('npm start killed mid-load', () => {
  it('loses nothing it acknowledged and counts nothing twice, kill after kill', async () => {
    for (const [run, killAfterMs] of KILL_AFTER.entries()) {
      const { server, url } = await start();
      await load(run, url, killAfterMs, () => killGroup(server, 'SIGKILL'));
      await server.exited;
      await holderGone();
      output.push(server.stdout(), server.stderr());
    }

    const { server, url } = await start();
    const response = await fetch(
      `${url}/apps/${APP}/events/crash_test/count?startDate=${DAY}&endDate=${DAY}`,
    );
    const counted = ((await response.json()) as { values: { value: number }[] }).values[0]?.value ?? 0;
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    output.push(server.stdout(), server.stderr());

    expect(acknowledged.size).toBeGreaterThan(KILL_AFTER.length * CLIENTS);
    expect(counted).toBeGreaterThanOrEqual(acknowledged.size);
    expect(counted).toBeLessThanOrEqual(sent.size);
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const rows = await lakeRows(instance, dir.path, 'event_id');
      const stored = new Set(rows.map((r) => String(r.event_id)));
      expect(rows).toHaveLength(counted);
      expect(stored.size).toBe(counted);
      expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
      expect([...stored].filter((id) => !sent.has(id))).toEqual([]);
    } finally {
      instance.closeSync();
    }
    expect(await filesBelow(join(dir.path, LOG_DIR))).toEqual([]);
    expect(output.join('\n')).not.toMatch(/"level":"(WARN|ERROR|CRITICAL)"|Error:/);
  }, 180_000);
});
