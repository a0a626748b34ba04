/**
 * Runs `run` with the clock (`Date`) standing still and every timer running as usual, so that
 * what an SDK stamps in the meantime falls in one millisecond, as two taps in a row may.
 */
export async function withFrozenClock<T>(run: () => T | Promise<T>): Promise<T> {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
  try {
    return await run();
  } finally {
    jest.useRealTimers();
  }
}
