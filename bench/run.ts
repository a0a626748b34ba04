/**
 * `npm run bench`: runs every `bench/*-bench.ts` in turn, each in its own process (so one
 * benchmark's settings and memory do not affect the next), and stops at the first failure.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const benches = readdirSync(__dirname)
  .filter((name) => name.endsWith('-bench.ts'))
  .sort();

for (const bench of benches) {
  process.stdout.write(`\n=== bench/${bench}\n\n`);
  const result = spawnSync(tsx, [join('bench', bench)], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`bench/${bench} failed (exit ${result.status ?? result.signal})\n`);
    process.exit(1);
  }
}
