// The gantry-proxy process: `node dist/proxy/main.js [--home DIR] [--admin HOST:PORT] [--metrics HOST:PORT]`.
// `gantry proxy` runs the same daemon in the foreground; ensureProxy() and `--detach` spawn this file.

import { parseArgs } from 'node:util';
import { formatError, toError } from '../errors.js';
import { runForeground } from './foreground.js';
import { defaultHome } from './home.js';

const { values } = parseArgs({
  options: {
    home: { type: 'string' },
    admin: { type: 'string' },
    metrics: { type: 'string' },
  },
  strict: true,
});

try {
  process.exitCode = await runForeground({
    home: values.home ?? defaultHome(),
    admin: values.admin,
    metrics: values.metrics,
  });
} catch (error) {
  process.stderr.write(`${formatError(toError(error))}\n`);
  process.exitCode = 2;
}
