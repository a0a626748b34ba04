import type { ProgressOutput } from '../local/cli/progress-bar';

/** Where an operations command writes: its result to `stdout`, progress and problems to `stderr`. */
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressOutput;
}

/** A command's exit code: 0 all done, 1 it failed (the message says why), 2 it ran but something did not work. */
export type ExitCode = 0 | 1 | 2;
