import { pbkdf2 } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { getPriority, setPriority } from 'node:os';
import { promisify } from 'node:util';
import { logger } from '../../lambdas/core/logger';

/** How many steps of nice libuv's pool threads are below the main thread in the local server. */
export const POOL_NICE_STEPS = 10;

/** libuv's pool size, as libuv reads it (`UV_THREADPOOL_SIZE`, default 4, at most 1024). */
export function poolSize(): number {
  const size = Math.trunc(Number(process.env.UV_THREADPOOL_SIZE));
  return size >= 1 ? Math.min(size, 1024) : 4;
}

const ROUNDS = 20;
const hold = promisify(pbkdf2);

/** The id of the pool thread that runs it (Linux: `/proc/thread-self` is `<pid>/task/<tid>`). */
async function poolThreadId(): Promise<number> {
  const path = await readlink('/proc/thread-self');
  return Number(path.slice(path.lastIndexOf('/') + 1));
}

/**
 * The ids of libuv's pool threads (Linux only). Node 20 does not name them, but a file call
 * runs on one of them, and `/proc/thread-self` read there names it. Each round queues, per
 * thread, such a read followed by about a millisecond of hashing, which holds the thread that
 * took it so that the next read goes to another one; rounds repeat until every thread was seen
 * (at most {@link ROUNDS}).
 */
export async function poolThreadIds(size = poolSize()): Promise<number[]> {
  const found = new Set<number>();
  for (let round = 0; round < ROUNDS && found.size < size; round++) {
    const reads: Promise<number>[] = [];
    const holds: Promise<unknown>[] = [];
    for (let i = 0; i < size; i++) {
      reads.push(poolThreadId());
      holds.push(hold('thread', 'priority', 1000, 32, 'sha256'));
    }
    for (const id of await Promise.all(reads)) found.add(id);
    await Promise.all(holds);
  }
  return [...found].sort((a, b) => a - b);
}

/** Linux's capability to raise priorities (`CAP_SYS_NICE`), as a bit of `CapEff` in `/proc/self/status`. */
const CAP_SYS_NICE = 23n;

/**
 * Whether this process may set a thread back to `nice` once lowered (Linux: `CAP_SYS_NICE`, or a
 * soft `RLIMIT_NICE` of at least `20 - nice`, from `/proc/self`). False when either cannot be read.
 */
export function canRaisePriorityTo(nice: number): boolean {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
    if (capEff && (BigInt(`0x${capEff}`) >> CAP_SYS_NICE) & 1n) return true;
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max nice priority\s+(\S+)/m.exec(limits)?.[1];
    return soft === 'unlimited' || Number(soft) >= 20 - nice;
  } catch {
    return false;
  }
}

/** A thread's nice value, from `/proc/self/task/<tid>/stat` (the 19th field). */
function threadNice(tid: string): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/**
 * Lowers the priority of libuv's pool threads `steps` nice values below the main thread's (Linux; elsewhere, or where the
 * system refuses, nothing changes and the server runs as before). In the local server the pool
 * runs DuckDB (queries, the log's conversion, compaction) and file calls that no request
 * waits on, while the main thread runs every request and the log's writes: on a busy machine
 * the scheduler then gives the main thread a core first, and the background work the rest.
 * Threads created later by a pool thread (DuckDB's own threads, made when an instance is
 * created there) inherit its priority. Returns the threads it lowered.
 */
export async function lowerPoolPriority(steps = POOL_NICE_STEPS): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const main = getPriority(process.pid);
  if (!canRaisePriorityTo(main)) {
    // Lowered for good, the pool (and DuckDB's threads) would starve the conversion at shutdown
    // on a busy machine, with no way back: without the privilege it keeps the main thread's.
    logger.info('the thread pool keeps the main thread priority: raising it back needs CAP_SYS_NICE');
    return [];
  }
  const nice = Math.min(19, main + steps);
  const lowered: number[] = [];
  let ids: number[];
  try {
    ids = await poolThreadIds();
  } catch (err) {
    logger.warn('could not find the thread pool; its priority stays as it is', {
      reason: (err as Error).message,
    });
    return lowered;
  }
  for (const id of ids) {
    try {
      setPriority(id, nice);
      lowered.push(id);
    } catch (err) {
      logger.warn('could not lower a pool thread priority', { thread: id, reason: (err as Error).message });
    }
  }
  return lowered;
}

/**
 * Gives every thread of the process that {@link lowerPoolPriority} lowered (the pool threads in
 * `lowered`, and the threads DuckDB made from them since, which inherited their priority) the
 * main thread's priority again (raising a priority takes privileges on Linux; lowering happens
 * only where they are held, see {@link canRaisePriorityTo}). The local server calls it when it
 * stops taking requests, so the work left (converting the log, settling partitions) is not
 * starved by other processes. Returns the threads it raised.
 */
export function restorePoolPriority(lowered: readonly number[]): number[] {
  if (lowered.length === 0) return [];
  const nice = getPriority(process.pid);
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      if (threadNice(tid) === nice) return [];
      setPriority(Number(tid), nice);
      return [Number(tid)];
    } catch {
      return [];
    }
  });
}
