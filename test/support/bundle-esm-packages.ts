import { mkdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * ES-module-only packages jest (CommonJS) cannot load, each with the module text to bundle and
 * the file jest.config.js maps the package name to. tsx and the Lambda bundles (esbuild) load
 * them as they are.
 */
const PACKAGES = [
  { name: 'dt-sql-parser', contents: "export { TrinoSQL } from 'dt-sql-parser';" },
  { name: 'hyparquet', contents: "export * from 'hyparquet';" },
] as const;

/**
 * Jest globalSetup: bundles each package of {@link PACKAGES} once into `.cache/<name>.js`
 * (git-ignored), rebuilt only when the package is newer than the cache.
 */
export default async function bundleEsmPackages(): Promise<void> {
  const root = join(__dirname, '..', '..');
  await mkdir(join(root, '.cache'), { recursive: true });
  for (const { name, contents } of PACKAGES) {
    const target = join(root, '.cache', `${name}.js`);
    const packageJson = join(root, 'node_modules', name, 'package.json');
    const [cached, installed] = await Promise.all([stat(target).catch(() => undefined), stat(packageJson)]);
    if (cached && cached.mtimeMs >= installed.mtimeMs) continue;
    const staging = `${target}.${process.pid}.tmp`;
    await build({
      stdin: { contents, resolveDir: root },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: staging,
      logLevel: 'warning',
    });
    await rename(staging, target);
  }
}
