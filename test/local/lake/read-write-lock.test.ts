import { ReadWriteLock } from '../../../local/lake/read-write-lock';

/** A task that runs until {@link release} is called, recording when it starts and ends. */
function gate(log: string[], name: string) {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    task: async () => {
      log.push(`${name} start`);
      await opened;
      log.push(`${name} end`);
    },
    release: () => open(),
  };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ReadWriteLock', () => {
  it('lets readers run together', async () => {
    const lock = new ReadWriteLock();
    const log: string[] = [];
    const a = gate(log, 'read a');
    const b = gate(log, 'read b');
    const done = [lock.read(a.task), lock.read(b.task)];
    await settle();
    expect(log).toEqual(['read a start', 'read b start']);
    a.release();
    b.release();
    await Promise.all(done);
  });

  it('runs a writer alone: it waits for running readers, and readers wait for it', async () => {
    const lock = new ReadWriteLock();
    const log: string[] = [];
    const reader = gate(log, 'read');
    const writer = gate(log, 'write');
    const reading = lock.read(reader.task);
    const writing = lock.write(writer.task);
    await settle();
    expect(log).toEqual(['read start']);
    reader.release();
    await reading;
    await settle();
    expect(log).toEqual(['read start', 'read end', 'write start']);
    const later = gate(log, 'later read');
    const laterReading = lock.read(later.task);
    await settle();
    expect(log).not.toContain('later read start');
    writer.release();
    await writing;
    await settle();
    expect(log).toContain('later read start');
    later.release();
    await laterReading;
  });

  it('puts a waiting writer before readers that come after it, so queries cannot starve it', async () => {
    const lock = new ReadWriteLock();
    const log: string[] = [];
    const first = gate(log, 'read 1');
    const writer = gate(log, 'write');
    const second = gate(log, 'read 2');
    const runs = [lock.read(first.task), lock.write(writer.task), lock.read(second.task)];
    await settle();
    expect(log).toEqual(['read 1 start']);
    first.release();
    await settle();
    expect(log).toEqual(['read 1 start', 'read 1 end', 'write start']);
    writer.release();
    await settle();
    second.release();
    await Promise.all(runs);
    expect(log).toEqual([
      'read 1 start',
      'read 1 end',
      'write start',
      'write end',
      'read 2 start',
      'read 2 end',
    ]);
  });

  it('releases the lock when a task fails', async () => {
    const lock = new ReadWriteLock();
    await expect(lock.write(async () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    await expect(lock.read(async () => 'read after a failed write')).resolves.toBe(
      'read after a failed write',
    );
    await expect(lock.read(async () => Promise.reject(new Error('bad query')))).rejects.toThrow('bad query');
    await expect(lock.write(async () => 'write after a failed read')).resolves.toBe(
      'write after a failed read',
    );
  });
});
