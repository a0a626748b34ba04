import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`), never a test tool's own download. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Headless Chromium for browser tests: no sandbox (containers), no GPU, and nothing that
 * reaches the network by itself. Playwright gives each launch a fresh temporary profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
