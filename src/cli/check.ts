// `gantry check ID ITEM`: tick a checklist item, by number or text.

import type { Command } from 'commander';
import { withOperations } from './context.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

export function registerCheck(program: Command): void {
  const command = program
    .command('check')
    .description('Check a checklist item of a deployment, as a named user')
    .argument('<id>', 'deployment id')
    .argument('<item>', 'item number (1-based) or part of its text');
  asOption(outputOption(command)).action(
    async (id: string, item: string, options: { as?: string; output: string }) => {
      const format = formatOf(options);
      await withOperations(async (operations) => {
        const { user, ...checked } = await operations.check(id, item, options.as);
        if (format === 'json') printJson({ id, user, ...checked });
        else printLine(`${id}: "${checked.item}" checked by ${user}; ${checked.remaining} item(s) left`);
      });
    },
  );
}
