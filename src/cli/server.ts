// `gantry server`: the HTTP API, the dashboard and an engine that drives deployments, in one process.

import type { Command } from 'commander';
import { GantryError } from '../errors.js';
import { startServer } from '../server/server.js';
import { gantryHome, withJournal } from './context.js';

const EXAMPLES = `
Examples:
  $ gantry user add admin --role admin
  $ gantry token create --user admin --expires 90d        # prints gty.t-….…; paste it to sign in
  $ gantry server --listen 127.0.0.1:7070
  $ GANTRY_SERVER=http://127.0.0.1:7070 GANTRY_TOKEN=gty.t-… gantry deploy plan.yaml --version 1.2.0

Open http://127.0.0.1:7070 for the dashboard. Roles: admin, deployer, viewer, and the roles plans name
for approvals (docs/server.md).`;

export function registerServer(program: Command): void {
  program
    .command('server')
    .description(
      'Serve the HTTP API and the dashboard, and drive deployments (adopting those without an engine)',
    )
    .option('--listen <host:port>', 'address to listen on', '127.0.0.1:7070')
    .option('--no-engine', 'only serve; let `gantry worker` processes drive deployments')
    .addHelpText('after', EXAMPLES)
    .action(async (options: { listen: string; engine: boolean }) => {
      const { host, port } = parseListen(options.listen);
      await withJournal(async (journal) => {
        const log = (line: string) => process.stdout.write(`${line}\n`);
        const server = await startServer({
          journal,
          host,
          port,
          home: gantryHome(),
          noEngine: !options.engine,
          log,
        });
        await new Promise<void>((resolve) => {
          process.once('SIGTERM', resolve);
          process.once('SIGINT', resolve);
        });
        log('shutting down');
        await server.close();
      });
    });
}

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const port = Number(match?.[3]);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new GantryError('GANTRY_USAGE', `--listen "${text}" is not host:port`, {
      hint: 'use e.g. 127.0.0.1:7070, 0.0.0.0:7070 or [::1]:7070',
    });
  }
  return { host: (match[1] ?? match[2]) as string, port };
}
