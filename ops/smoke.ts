import { exitWithError } from '../local/cli/run-cli';

import('./smoke-command')
  .then(({ runSmoke }) => runSmoke(process.argv.slice(2), process))
  .then((code) => process.exit(code), exitWithError);
