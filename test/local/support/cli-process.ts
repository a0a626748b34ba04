import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** A local command run as a child process, the way `npm start` runs it (`tsx local/cli/<script>`). */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Resolves with the first match of the pattern in stdout, or rejects after `timeoutMs`. */
  waitForStdout(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

/**
 * Starts a local command. With `group`, it runs in a process group of its own, which
 * {@link killGroup} kills whole (tsx runs the script in a child node process, which a signal
 * to tsx alone would leave running when the signal is SIGKILL).
 */
export function startCli(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  group = false,
): CliProcess {
  const child = spawn(TSX, [join('local', 'cli', script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForStdout: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          clearInterval(poll);
          reject(new Error(`no ${pattern} in stdout after ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        const poll = setInterval(() => {
          const match = stdout.match(pattern);
          if (match) {
            clearInterval(poll);
            clearTimeout(timer);
            resolve(match);
          }
        }, 50);
        exited.then(() => {
          if (!stdout.match(pattern)) {
            clearInterval(poll);
            clearTimeout(timer);
            reject(new Error(`exited before ${pattern} appeared; stderr: ${stderr}`));
          }
        });
      }),
  };
}

/** Runs a local command to its end and returns its exit code and output. */
export async function runCli(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = startCli(script, args, env);
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

/** Sends a signal to every process of a command started with `group` (see {@link startCli}). */
export function killGroup(cli: CliProcess, signal: NodeJS.Signals): void {
  if (cli.child.pid !== undefined) process.kill(-cli.child.pid, signal);
}
