/** Where a progress bar draws: a stream, and whether it is a terminal. */
export interface ProgressOutput {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

const WIDTH = 30;

/**
 * A one-line progress bar for long local commands. On a terminal it redraws in place (at most
 * ten times a second); anywhere else (a pipe, a log file, a test) it stays silent until the
 * summary line, so logs are not flooded with carriage returns.
 */
export class ProgressBar {
  private lastDraw = 0;

  constructor(
    private readonly output: ProgressOutput,
    private readonly label: string,
    private readonly total: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Shows `done` of the total, with an optional note such as a count. */
  update(done: number, note = ''): void {
    if (!this.output.isTTY) return;
    const now = this.clock();
    if (done < this.total && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const share = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(share * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    this.output.write(`\r${this.label} ${bar} ${String(Math.round(share * 100)).padStart(3)}% ${note}\x1b[K`);
  }

  /** Replaces the bar with a summary line. */
  finish(summary: string): void {
    this.output.write(`${this.output.isTTY ? '\r\x1b[K' : ''}${summary}\n`);
  }
}
