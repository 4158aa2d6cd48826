// `gantry deploy PLAN --version V`: records the deployment (taking the service/environment lock) and
// starts a detached engine to drive it. `--wait` follows it to the end and exits 0/1 by its outcome.

import type { Command } from 'commander';
import { exitCodeOf } from '../deployment/status.js';
import { GantryError } from '../errors.js';
import { withOperations } from './context.js';
import { follow } from './follow.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

interface DeployOptions {
  version: string;
  wait?: boolean;
  output: string;
  as?: string;
  queue?: boolean;
  overrideWindow?: boolean;
  reason?: string;
  previousVersion?: string;
}

export function registerDeploy(program: Command): void {
  const command = program
    .command('deploy')
    .description('Start a deployment of a plan; a detached engine drives it')
    .argument('<plan>', 'plan file (YAML)')
    .requiredOption('--version <version>', 'the version being deployed')
    .option('--wait', 'follow the deployment until it ends; exit 0 if it succeeded, 1 otherwise')
    .option('--queue', 'if the service/environment is being deployed, wait for it instead of refusing')
    .option('--override-window', 'start even outside the deployment window (needs --reason; journaled)')
    .option('--reason <text>', 'why the window is overridden')
    .option(
      '--previous-version <version>',
      'the version being replaced (default: the last one that succeeded)',
    )
    .addHelpText('after', '\nExample:\n  gantry deploy examples/hello-runbook.yaml --version 1.4.2 --wait');
  asOption(outputOption(command)).action(async (plan: string, options: DeployOptions, cmd: Command) => {
    const format = formatOf(options);
    if (options.overrideWindow && !options.reason) {
      throw new GantryError('GANTRY_USAGE', '--override-window needs --reason', {
        hint: 'say why, e.g. --reason "hotfix for incident 4711"',
      });
    }
    await withOperations(async (operations) => {
      const { deployment, stepCount, driverPid, log } = await operations.deploy({
        planPath: plan,
        version: options.version,
        as: options.as,
        queue: options.queue,
        previousVersion: options.previousVersion,
        overrideWindow: options.overrideWindow ? { reason: options.reason as string } : undefined,
      });
      if (!options.wait) {
        if (format === 'json')
          printJson({
            id: deployment.id,
            status: deployment.status,
            driverPid,
            log,
          });
        else {
          printLine(
            `${deployment.id}: deploying ${deployment.service} ${deployment.version} to ${deployment.environment} (${stepCount} steps)`,
          );
          printLine(`  follow it: gantry status ${deployment.id} --watch`);
        }
        return;
      }
      const status = await follow(operations, deployment.id, {
        stopOnInterrupted: true,
        print: format === 'json' ? () => {} : undefined,
      });
      if (format === 'json') printJson({ id: deployment.id, status });
      else printLine(`${deployment.id}: ${status}`);
      setExitCode(cmd, exitCodeOf(status));
    });
  });
}
