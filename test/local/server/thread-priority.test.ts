import { execFile } from 'node:child_process';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { poolSize, poolThreadIds } from '../../../local/server/thread-priority';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs `lowerPoolPriority` in a fresh process (it changes the process for good) and reports its threads. */
const CHILD = `
import { readFileSync, readdirSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { canRaisePriorityTo, lowerPoolPriority, restorePoolPriority } from ${JSON.stringify(join(ROOT, 'local', 'server', 'thread-priority'))};
const nice = (tid: string) => {
  const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};
(async () => {
  const privileged = canRaisePriorityTo(nice(String(process.pid)));
  const lowered = await lowerPoolPriority(7);
  const before = readdirSync('/proc/self/task');
  const instance = await DuckDBInstance.create(':memory:', { threads: '3' });
  const duckdb = readdirSync('/proc/self/task').filter((tid) => !before.includes(tid));
  const fileCall = await readlink('/proc/thread-self');
  const nices = Object.fromEntries(readdirSync('/proc/self/task').map((tid) => [tid, nice(tid)]));
  const restored = restorePoolPriority(lowered);
  const after = Object.fromEntries(readdirSync('/proc/self/task').map((tid) => [tid, nice(tid)]));
  process.stdout.write('\\n' + JSON.stringify({
    pid: process.pid,
    privileged,
    lowered,
    nices,
    restored,
    after,
    duckdb,
    fileCallThread: Number(fileCall.slice(fileCall.lastIndexOf('/') + 1)),
  }));
  instance.closeSync();
})();
`;

const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('the thread pool priority (Linux)', () => {
  it('finds every thread of libuv’s pool, and a file call runs on one of them', async () => {
    const ids = await poolThreadIds();
    expect(ids).toHaveLength(poolSize());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(process.pid);
    const path = await readlink('/proc/thread-self');
    expect(path.startsWith(`${process.pid}/task/`)).toBe(true);
    expect(ids).toContain(Number(path.slice(path.lastIndexOf('/') + 1)));
  });

  it('lowers the pool threads only where it can raise them back, DuckDB’s threads inherit it, and the restore gives every one back', async () => {
    const { stdout } = await promisify(execFile)(TSX, ['--eval', CHILD], { cwd: ROOT });
    // The last line: the logger may have written one before it.
    const child = JSON.parse(stdout.trim().split('\n').pop() ?? '') as {
      pid: number;
      privileged: boolean;
      lowered: number[];
      nices: Record<string, number>;
      duckdb: string[];
      fileCallThread: number;
      restored: number[];
      after: Record<string, number>;
    };
    const main = child.nices[String(child.pid)] ?? Number.NaN;
    // After the restore, or where nothing was lowered, every thread runs at the main thread's priority.
    expect(Object.values(child.after)).toEqual(Object.values(child.after).map(() => main));
    if (!child.privileged) {
      expect(child.lowered).toEqual([]);
      expect(Object.values(child.nices)).toEqual(Object.values(child.nices).map(() => main));
      return;
    }
    const target = Math.min(19, main + 7);
    expect(child.lowered).toHaveLength(poolSize());
    expect(child.lowered).toContain(child.fileCallThread);
    for (const tid of child.lowered) expect(child.nices[String(tid)]).toBe(target);
    expect(child.duckdb.length).toBeGreaterThan(0);
    for (const tid of child.duckdb) expect(child.nices[tid]).toBe(target);
    const others = Object.entries(child.nices).filter(
      ([tid]) => !child.lowered.includes(Number(tid)) && !child.duckdb.includes(tid),
    );
    expect(others.map(([, nice]) => nice)).toEqual(others.map(() => main));
    expect([...child.restored].sort()).toEqual([...child.lowered, ...child.duckdb.map(Number)].sort());
  });
});
