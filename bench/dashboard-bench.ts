/**
 * The dashboard page: its size (script and style, raw and gzip) and how long `npm start` takes
 * to bundle it with esbuild (median of 5 builds after a warm-up, in this process).
 * Run: `npx tsx bench/dashboard-bench.ts`.
 */
import { gzipSync } from 'node:zlib';
import { buildDashboardPage } from '../local/dashboard/dashboard-page';

async function main(): Promise<void> {
  await buildDashboardPage('local');
  const times: number[] = [];
  let html = '';
  let script = 0;
  let style = 0;
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    const page = await buildDashboardPage('local');
    times.push(performance.now() - started);
    ({ html } = page);
    script = page.scriptBytes;
    style = page.styleBytes;
  }
  const median = times.sort((a, b) => a - b)[2] ?? 0;
  const figures = {
    scriptBytes: script,
    styleBytes: style,
    htmlBytes: Buffer.byteLength(html),
    htmlGzipBytes: gzipSync(html).length,
    buildMs: Math.round(median),
  };
  process.stdout.write(
    [
      '| page (script + style inline) | bytes | gzip bytes | esbuild build (median) |',
      '| ---------------------------- | ----: | ---------: | ---------------------: |',
      `| dashboard HTML | ${figures.htmlBytes.toLocaleString('en-US')} | ${figures.htmlGzipBytes.toLocaleString('en-US')} | ${figures.buildMs} ms |`,
      '',
      JSON.stringify(figures),
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
