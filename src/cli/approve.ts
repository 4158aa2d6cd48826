// `gantry approve ID`: approve the step waiting for approval (or the plan's approvals, ahead of time).

import type { Command } from 'commander';
import { withOperations } from './context.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

export function registerApprove(program: Command): void {
  const command = program
    .command('approve')
    .description('Approve a deployment as a user holding a required role (never the requester)')
    .argument('<id>', 'deployment id')
    .option('--comment <text>', 'recorded with the approval')
    .option('--role <role>', 'which of your roles this approval is for, when you hold several');
  asOption(outputOption(command)).action(
    async (id: string, options: { comment?: string; role?: string; as?: string; output: string }) => {
      const format = formatOf(options);
      await withOperations(async (operations) => {
        const { user, ...granted } = await operations.approve(id, {
          as: options.as,
          comment: options.comment,
          role: options.role,
        });
        if (format === 'json') printJson({ id, user, ...granted });
        else printLine(`${id}: ${granted.stepId} approved by ${user} as ${granted.role}`);
      });
    },
  );
}
