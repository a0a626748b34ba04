import { exitWithError } from '../local/cli/run-cli';

// The shared ingest code logs and counts for Lambda; a terminal wants neither.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

import('./replay-command')
  .then(({ runReplay }) => runReplay(process.argv.slice(2), process))
  .then((code) => process.exit(code), exitWithError);
