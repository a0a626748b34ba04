import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Jest globalSetup: dt-sql-parser ships ES modules only, which jest (CommonJS) cannot load,
 * so its TrinoSQL parser is bundled once into `.cache/dt-sql-parser.js` (git-ignored), which
 * jest.config.js maps the package name to. Rebuilt only when the package is newer than the cache.
 */
export default async function bundleDtSqlParser(): Promise<void> {
  const root = join(__dirname, '..', '..');
  const target = join(root, '.cache', 'dt-sql-parser.js');
  const packageJson = require.resolve('dt-sql-parser/package.json', { paths: [root] });
  const [cached, installed] = await Promise.all([stat(target).catch(() => undefined), stat(packageJson)]);
  if (cached && cached.mtimeMs >= installed.mtimeMs) return;
  await mkdir(join(root, '.cache'), { recursive: true });
  const staging = `${target}.${process.pid}.tmp`;
  await build({
    stdin: { contents: "export { TrinoSQL } from 'dt-sql-parser';", resolveDir: root },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: staging,
    logLevel: 'warning',
  });
  await rename(staging, target);
}
