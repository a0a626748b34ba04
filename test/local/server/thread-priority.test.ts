import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { poolSize, poolThreadIds } from '../../../local/server/thread-priority';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** A thread's nice value, from `/proc/<pid>/task/<tid>/stat` (field 19). */
function niceOf(pid: number, tid: number): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** Runs `lowerPoolPriority` in a fresh process (it changes the process for good) and reports its threads. */
const CHILD = `
import { readFileSync, readdirSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import { lowerPoolPriority } from ${JSON.stringify(join(ROOT, 'local', 'server', 'thread-priority'))};
const nice = (tid: string) => {
  const stat = readFileSync('/proc/self/task/' + tid + '/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};
(async () => {
  const lowered = await lowerPoolPriority(7);
  const before = readdirSync('/proc/self/task');
  const instance = await DuckDBInstance.create(':memory:', { threads: '3' });
  const duckdb = readdirSync('/proc/self/task').filter((tid) => !before.includes(tid));
  const fileCall = await readlink('/proc/thread-self');
  process.stdout.write(JSON.stringify({
    pid: process.pid,
    lowered,
    nices: Object.fromEntries(readdirSync('/proc/self/task').map((tid) => [tid, nice(tid)])),
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
    expect(ids.every((id) => niceOf(process.pid, id) === niceOf(process.pid, process.pid))).toBe(true);
  });

  it('lowers the pool threads only, and DuckDB’s threads made afterwards inherit it', async () => {
    const { stdout } = await promisify(execFile)(TSX, ['--eval', CHILD], { cwd: ROOT });
    const child = JSON.parse(stdout) as {
      pid: number;
      lowered: number[];
      nices: Record<string, number>;
      duckdb: string[];
      fileCallThread: number;
    };
    const main = child.nices[String(child.pid)] ?? Number.NaN;
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
  });
});
