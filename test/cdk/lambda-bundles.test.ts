import * as path from 'node:path';
import { build } from 'esbuild';
import { HANDLER_ENTRIES, HANDLER_EXTERNAL_MODULES, PROJECT_ROOT } from '../../lib/handler-function';

/**
 * Bundles each handler as the CDK does (esbuild, Node 24, AWS SDK v3 external) and checks what
 * went in: the local DuckDB mode must never reach a Lambda bundle.
 */
describe('Lambda bundles', () => {
  it.each(Object.values(HANDLER_ENTRIES))(
    '%s bundles without DuckDB or anything under local/',
    async (entry) => {
      const result = await build({
        entryPoints: [path.join(PROJECT_ROOT, entry)],
        absWorkingDir: PROJECT_ROOT,
        bundle: true,
        platform: 'node',
        target: 'node24',
        external: [...HANDLER_EXTERNAL_MODULES],
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs).toContain(entry);
      expect(inputs.filter((input) => input.startsWith('local/') || input.includes('@duckdb'))).toEqual([]);
    },
  );
});
