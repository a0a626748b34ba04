/**
 * An in-process readers-writer lock. KPI queries share it; a compaction's commit (rename the
 * merged file in, delete the files it replaces) takes it alone, so no query lists files that
 * then vanish or sees a partition's rows twice. A waiting writer goes before new readers, so a
 * steady stream of queries cannot starve compaction.
 */
export class ReadWriteLock {
  private readers = 0;
  private writing = false;
  private writersWaiting = 0;
  private wakeups: (() => void)[] = [];

  /** Runs `task` while holding a shared (read) lock. */
  async read<T>(task: () => Promise<T>): Promise<T> {
    while (this.writing || this.writersWaiting > 0) await this.wait();
    this.readers += 1;
    try {
      return await task();
    } finally {
      this.readers -= 1;
      this.wakeAll();
    }
  }

  /** Runs `task` while holding the exclusive (write) lock. */
  async write<T>(task: () => Promise<T>): Promise<T> {
    this.writersWaiting += 1;
    try {
      while (this.writing || this.readers > 0) await this.wait();
    } finally {
      this.writersWaiting -= 1;
    }
    this.writing = true;
    try {
      return await task();
    } finally {
      this.writing = false;
      this.wakeAll();
    }
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.wakeups.push(resolve));
  }

  private wakeAll(): void {
    const wakeups = this.wakeups;
    this.wakeups = [];
    for (const wake of wakeups) wake();
  }
}
