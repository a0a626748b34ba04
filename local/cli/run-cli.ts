import { CliError } from './cli-error';

/** Prints a failure: a {@link CliError} as one line, anything else with its stack. Exits 1. */
export function exitWithError(err: unknown): never {
  if (err instanceof CliError) process.stderr.write(`Error: ${err.message}\n`);
  else
    process.stderr.write(
      `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
  process.exit(1);
}

/** Runs a local command's main function: exit 0 when it resolves, {@link exitWithError} when it fails. */
export function runCli(main: () => Promise<void>): void {
  main().then(() => process.exit(0), exitWithError);
}
