// `gantry demo`: deploys v1, canaries v2 to 100% under generated traffic, then catches v3's defect and rolls
// it back by itself — on this machine, with nothing else installed, leaving no process behind.

import type { Command } from 'commander';
import { runDemo } from '../demo/run-demo.js';
import { GantryError } from '../errors.js';
import { setExitCode } from './program.js';

interface DemoOptions {
  home?: string;
  port?: string;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Watch Gantry move real traffic to a new version and pull a bad one back (about a minute)')
    .option('--home <dir>', 'state directory for the demo (default: a new temporary one)')
    .option('--port <port>', 'where the sample app listens (default 8080, or a free port if it is taken)')
    .addHelpText('after', '\nThe plan it runs is examples/demo/plan.yaml; read it alongside.')
    .action(async (options: DemoOptions, cmd: Command) => {
      const port = options.port === undefined ? undefined : Number(options.port);
      if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536))
        throw new GantryError('GANTRY_USAGE', `--port ${options.port} is not a port number`, {
          hint: 'give a number from 1 to 65535, e.g. --port 8081',
        });
      const stopping = new AbortController();
      const stop = () => stopping.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        setExitCode(cmd, await runDemo({ home: options.home, port, signal: stopping.signal }));
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
