import { AppError } from '../../lambdas/core/errors';

/**
 * A problem the person running a local command can fix (a bad flag, a port in use, an unusable
 * data dir). The commands print its message as one line, without a stack trace, and exit 1.
 */
export class CliError extends AppError {}
