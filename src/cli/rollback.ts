// `gantry rollback SERVICE`: abort the deployment in progress (its rollback runs), or, when none is in
// progress, deploy the previous version again with the plan it succeeded with.

import type { Command } from 'commander';
import { exitCodeOf } from '../deployment/status.js';
import { withOperations } from './context.js';
import { follow } from './follow.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

interface RollbackOptions {
  env: string;
  to?: string;
  reason?: string;
  wait?: boolean;
  as?: string;
  output: string;
}

export function registerRollback(program: Command): void {
  const command = program
    .command('rollback')
    .description('Roll a service back: abort the deployment in progress, or redeploy the previous version')
    .argument('<service>', 'service name')
    .option('--env <environment>', 'environment', 'production')
    .option('--to <version>', 'the version to go back to (default: the one before the current)')
    .option('--reason <text>', 'recorded with the rollback')
    .option('--wait', 'follow until it ends');
  asOption(outputOption(command)).action(async (service: string, options: RollbackOptions, cmd: Command) => {
    const format = formatOf(options);
    await withOperations(async (operations) => {
      const { id, aborted } = await operations.rollback(service, {
        environment: options.env,
        to: options.to,
        reason: options.reason,
        as: options.as,
      });
      if (format === 'text')
        printLine(
          aborted ? `${id}: aborting; its rollback runs now` : `${id}: redeploying the previous version`,
        );
      if (!options.wait) {
        if (format === 'json') printJson({ id, aborted });
        return;
      }
      const status = await follow(operations, id, {
        stopOnInterrupted: true,
        print: format === 'json' ? () => {} : undefined,
      });
      if (format === 'json') printJson({ id, aborted, status });
      setExitCode(cmd, aborted ? (status === 'aborted' ? 0 : 1) : exitCodeOf(status));
    });
  });
}
