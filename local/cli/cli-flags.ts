import { type ParseArgsConfig, parseArgs } from 'node:util';
import { parseDay } from '../../lambdas/core/calendar-day';
import { DEFAULT_LAKE_START_DATE } from '../../lambdas/core/lake-window';
import { CliError } from './cli-error';

/** The data dir every local command uses unless `--data-dir` or `DATA_DIR` says otherwise. */
export const DEFAULT_DATA_DIR = './.lake';

type Options = NonNullable<ParseArgsConfig['options']>;
export type FlagValues = Record<string, string | boolean | undefined>;

function usageError(err: unknown, command: string): CliError {
  return new CliError(`${(err as Error).message}. Run \`${command} --help\` for the options`);
}

/** Parses `--name value` flags strictly; an unknown or malformed flag is a {@link CliError}. */
export function parseFlags(argv: readonly string[], options: Options, command: string): FlagValues {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false })
      .values as FlagValues;
  } catch (err) {
    throw usageError(err, command);
  }
}

/** Flags and the positional arguments after them (paths, URLs). */
export interface ParsedCommand {
  readonly flags: FlagValues;
  /** Values of flags given more than once (`multiple: true`), by name. */
  readonly lists: Readonly<Record<string, readonly string[]>>;
  readonly positionals: readonly string[];
}

/** {@link parseFlags} for a command that also takes positional arguments and repeatable flags. */
export function parseCommand(argv: readonly string[], options: Options, command: string): ParsedCommand {
  try {
    const parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
    const flags: Record<string, string | boolean | undefined> = {};
    const lists: Record<string, readonly string[]> = {};
    for (const [name, value] of Object.entries(parsed.values)) {
      if (Array.isArray(value)) lists[name] = value.map(String);
      else flags[name] = value;
    }
    return { flags, lists, positionals: parsed.positionals };
  } catch (err) {
    throw usageError(err, command);
  }
}

/** A value given on the command line or in the environment, and where it came from. */
export interface Given {
  readonly value: string;
  /** `--name` or the variable's name, for messages. */
  readonly source: string;
}

/** The flag's value, else the environment variable's (when one is named and set), else undefined. */
export function given(
  flags: FlagValues,
  name: string,
  env?: { name: string; value: string | undefined },
): Given | undefined {
  const flag = flags[name];
  if (flag !== undefined) return { value: String(flag), source: `--${name}` };
  if (env?.value !== undefined && env.value !== '') return { value: env.value, source: env.name };
  return undefined;
}

/** A whole number within bounds, or the fallback when not given; else a {@link CliError} naming the source and value. */
export function integerIn(value: Given | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const number = Number(value.value);
  if (!/^\d+$/.test(value.value.trim()) || number < min || number > max) {
    throw new CliError(
      `${value.source} must be a whole number from ${min} to ${max}; got ${JSON.stringify(value.value)}`,
    );
  }
  return number;
}

/** A text that is not blank, or the fallback when not given; else a {@link CliError} naming the source. */
export function textOr(value: Given | undefined, fallback: string): string {
  if (value === undefined) return fallback;
  if (value.value.trim() === '') throw new CliError(`${value.source} must not be empty`);
  return value.value;
}

/** The lake folder: `--data-dir`, else `DATA_DIR`, else {@link DEFAULT_DATA_DIR}. */
export function dataDirOf(flags: FlagValues, env: NodeJS.ProcessEnv): string {
  return textOr(given(flags, 'data-dir', { name: 'DATA_DIR', value: env.DATA_DIR }), DEFAULT_DATA_DIR);
}

/**
 * How to move the lake's first day on this machine, as the reason for refusing an earlier event
 * ends: `npm start` and `npm run import` read the same setting, and must agree.
 */
export const LOCAL_LAKE_START_SETTING =
  'give npm start and npm run import an earlier --lake-start-date (LAKE_START_DATE)';

/**
 * The lake's first day: `--lake-start-date`, else `LAKE_START_DATE`, else the stack's default
 * ({@link DEFAULT_LAKE_START_DATE}); a {@link CliError} naming the source when it is not a day.
 */
export function lakeStartDateOf(flags: FlagValues, env: NodeJS.ProcessEnv): string {
  const value = given(flags, 'lake-start-date', { name: 'LAKE_START_DATE', value: env.LAKE_START_DATE });
  if (value === undefined) return DEFAULT_LAKE_START_DATE;
  if (parseDay(value.value) === undefined) {
    throw new CliError(
      `${value.source} must be a calendar day YYYY-MM-DD; got ${JSON.stringify(value.value)}`,
    );
  }
  return value.value;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off', '']);

/** A yes/no environment variable: 1/true/yes/on or 0/false/no/off (any case), else a {@link CliError}. */
export function booleanEnv(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const normalised = value.trim().toLowerCase();
  if (TRUE.has(normalised)) return true;
  if (FALSE.has(normalised)) return false;
  throw new CliError(
    `${name} must be one of 1, true, yes, on, 0, false, no, off; got ${JSON.stringify(value)}`,
  );
}
