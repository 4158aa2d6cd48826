// Debian's Chromium driven by playwright-core (which never downloads a browser). Missing Chromium skips
// the browser suites with a printed reason, and fails them under GANTRY_REQUIRE_SERVICES=1 (CI).

import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import type { ServiceCheck } from './services.js';

export const CHROMIUM = process.env.GANTRY_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
export const DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function requireChromium(): ServiceCheck {
  const missing = [
    existsSync(CHROMIUM)
      ? undefined
      : `Chromium is not at ${CHROMIUM} (apt-get install chromium, or set GANTRY_CHROMIUM)`,
    existsSync(`${DASHBOARD_DIR}index.html`) ? undefined : 'the dashboard is not built (npm run build:web)',
  ].filter(Boolean);
  if (missing.length === 0) return { available: true };
  const reason = missing.join('; ');
  if (process.env.GANTRY_REQUIRE_SERVICES === '1') throw new Error(`GANTRY_REQUIRE_SERVICES=1 but ${reason}`);
  console.warn(`skipping browser tests: ${reason}`);
  return { available: false, reason };
}

/** Headless, without sandbox, GPU, background traffic or updates; Playwright gives it an empty profile. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return `${ARTIFACTS}${name}`;
}
