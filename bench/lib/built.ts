// Benchmarks that measure Gantry as users run it load the compiled dist/. Without it they would fail deep
// inside with "module not found"; this says what to run instead.

import { existsSync } from 'node:fs';
import { GANTRY_MAIN } from '../../test/support/cli.js';

/** Exits with a message naming the build command when `file` (default: the compiled CLI) is missing. */
export function requireBuilt(bench: string, file = GANTRY_MAIN): void {
  if (existsSync(file)) return;
  console.error(
    `${bench} measures the compiled Gantry, and ${file} is missing: run \`npm run build\` first.`,
  );
  process.exit(2);
}
