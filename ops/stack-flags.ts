import { CliError } from '../local/cli/cli-error';
import type { FlagValues } from '../local/cli/cli-flags';

/** The flags every operations command takes: which stack, in which region, or its help. */
export const STACK_FLAGS = {
  stack: { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export interface StackTarget {
  readonly stack: string;
  /** @default - the region of the AWS configuration (AWS_REGION, profile) */
  readonly region?: string;
}

/** The `--stack` (required) and `--region` of parsed flags; a missing stack is a CliError. */
export function stackTarget(flags: FlagValues): StackTarget {
  const { stack, region } = flags;
  if (typeof stack !== 'string' || stack.trim() === '') {
    throw new CliError('--stack is required: the name of the deployed stack, e.g. --stack mobile-kpi');
  }
  return { stack, region: typeof region === 'string' ? region : undefined };
}
