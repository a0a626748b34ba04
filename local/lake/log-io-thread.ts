import { Worker } from 'node:worker_threads';

/**
 * The log's file I/O on a thread of its own. Node runs asynchronous file calls, and DuckDB its
 * statements, on one shared pool of four threads: four running queries made an `fdatasync` wait
 * for seconds. This thread makes the log's calls synchronously, so a write is never queued
 * behind a query, and handles requests in the order they were sent.
 *
 * The thread's code is plain JavaScript run with `eval`, so it needs no TypeScript loader.
 */
const THREAD = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const files = new Map();
function syncDir(dir) {
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try { fs.fsyncSync(fd); } finally { fs.closeSync(fd); }
}
parentPort.on('message', ({ id, op, key, path, dir, data }) => {
  try {
    if (op === 'append') {
      let fd = files.get(key);
      const created = fd === undefined;
      if (created) {
        fd = fs.openSync(path, 'wx');
        files.set(key, fd);
      }
      try {
        for (let written = 0; written < data.length; ) written += fs.writeSync(fd, data, written);
        fs.fdatasyncSync(fd);
        if (created) syncDir(dir);
      } catch (err) {
        files.delete(key);
        fs.closeSync(fd);
        throw err;
      }
    } else if (op === 'close') {
      const fd = files.get(key);
      files.delete(key);
      if (fd !== undefined) fs.closeSync(fd);
    }
    parentPort.postMessage({ id });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: err.message, code: err.code } });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly error?: { readonly message: string; readonly code?: string };
}

export class LogIoThread {
  private readonly worker = new Worker(THREAD, { eval: true });
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private nextId = 0;

  constructor() {
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      if (!reply.error) return waiter?.resolve();
      const { message, code } = reply.error;
      waiter?.reject(Object.assign(new Error(message), { code }));
    });
    this.worker.on('error', (err) => {
      for (const waiter of this.waiting.values()) waiter.reject(err);
      this.waiting.clear();
    });
  }

  /**
   * Appends `data` to the file `key` (opened exclusively at `path` on its first append, after
   * which its folder `dir` is synced) and syncs it (`fdatasync`). A failed append closes the file.
   */
  append(key: number, path: string, dir: string, data: Uint8Array): Promise<void> {
    return this.send({ op: 'append', key, path, dir, data });
  }

  /** Closes the file `key`, after every request sent before. */
  close(key: number): Promise<void> {
    return this.send({ op: 'close', key });
  }

  /** Stops the thread. */
  async stop(): Promise<void> {
    await this.worker.terminate();
  }

  private send(request: Record<string, unknown>): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // Keep the process alive while a request is pending; let it exit when idle.
      this.worker.ref();
      this.worker.postMessage({ id, ...request });
    });
  }
}
