import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The dashboard page: the TypeScript under `web/` (and uPlot, its one chart library) bundled
 * by esbuild in this process, then inlined with its CSS into one HTML document, so the page
 * needs no other request, no CDN and no build step by hand. The same page is served by the
 * local server (`npm start`) and by the signing proxy (`npm run dashboard`).
 */

/** Where the page's KPI API is: this local server, or a deployed stack behind the signing proxy. */
export type DashboardMode = 'local' | 'deployed';

export interface BuiltPage {
  readonly html: string;
  /** The Content-Security-Policy of the page: only its own inline script and style, and same-origin calls. */
  readonly contentSecurityPolicy: string;
  /** Sizes of the bundled script and style, in bytes (before compression). */
  readonly scriptBytes: number;
  readonly styleBytes: number;
}

const ENTRY = join(__dirname, 'web', 'main.ts');
const PROJECT_ROOT = join(__dirname, '..', '..');

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Bundles the page for a mode (minified, for current browsers). */
export async function buildDashboardPage(mode: DashboardMode): Promise<BuiltPage> {
  const result = await build({
    entryPoints: [ENTRY],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    outdir: 'dashboard',
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const script = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  const style = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  if (/<\/(script|style)/i.test(script + style)) {
    throw new Error('The dashboard bundle contains a closing script or style tag and cannot be inlined');
  }
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mobile KPIs</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body data-mode="${mode}">
<div id="app"><p class="boot">Loading the dashboard…</p></div>
<noscript>The dashboard needs JavaScript. The KPI API answers without it: see /openapi.json.</noscript>
<script>${script}</script>
</body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return {
    html,
    contentSecurityPolicy,
    scriptBytes: Buffer.byteLength(script),
    styleBytes: Buffer.byteLength(style),
  };
}

/** The page of one mode, built once: the build starts when this is created, and requests wait for it. */
export class DashboardPage {
  private readonly built: Promise<BuiltPage>;

  constructor(mode: DashboardMode) {
    this.built = buildDashboardPage(mode);
    this.built.catch(() => undefined);
  }

  page(): Promise<BuiltPage> {
    return this.built;
  }
}
