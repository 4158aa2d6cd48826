// `gantry resume ID`: continue a paused deployment, answer an interruption (--retry / --skip), accept a
// changed plan (--replan [--plan FILE]), and start an engine for it when its engine is gone.

import type { Command } from 'commander';
import { exitCodeOf } from '../deployment/status.js';
import { withOperations } from './context.js';
import { follow } from './follow.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

interface ResumeOptions {
  retry?: boolean;
  skip?: boolean;
  replan?: boolean;
  plan?: string;
  wait?: boolean;
  as?: string;
  output: string;
}

export function registerResume(program: Command): void {
  const command = program
    .command('resume')
    .description(
      'Continue a deployment: after a pause, an interruption (--retry/--skip), or a crash of its engine',
    )
    .argument('<id>', 'deployment id')
    .option('--retry', 'run the interrupted step again')
    .option('--skip', 'treat the interrupted step as done and go on')
    .option('--replan', 'continue although the plan now expands to different steps')
    .option('--plan <file>', 'with --replan: continue with this edited plan file')
    .option('--wait', 'follow the deployment until it ends');
  asOption(outputOption(command)).action(async (id: string, options: ResumeOptions, cmd: Command) => {
    const format = formatOf(options);
    await withOperations(async (operations) => {
      const { actions } = await operations.resume(id, {
        retry: options.retry,
        skip: options.skip,
        replan: options.replan,
        planPath: options.plan,
        as: options.as,
      });
      if (format === 'json' && !options.wait) return printJson({ id, actions });
      if (format === 'text')
        printLine(
          `${id}: ${actions.length > 0 ? actions.join('; ') : 'nothing to resume; its engine is running'}`,
        );
      if (options.wait) {
        const status = await follow(operations, id, {
          stopOnInterrupted: true,
          print: format === 'json' ? () => {} : undefined,
        });
        if (format === 'json') printJson({ id, actions, status });
        setExitCode(cmd, exitCodeOf(status));
      }
    });
  });
}
