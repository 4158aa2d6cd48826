// `gantry logs ID`: the deployment's journal in plain words; `--follow` keeps printing until it ends.

import type { Command } from 'commander';
import { withOperations } from './context.js';
import { follow } from './follow.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { renderEvents } from './render.js';

export function registerLogs(program: Command): void {
  const command = program
    .command('logs')
    .description("Print a deployment's events in plain words, with command output of failed steps")
    .argument('<id>', 'deployment id')
    .option('-f, --follow', 'keep printing new events until the deployment ends')
    .option('--all-output', 'show the captured output of every command, not only failed ones');
  outputOption(command).action(
    async (id: string, options: { follow?: boolean; allOutput?: boolean; output: string }) => {
      const format = formatOf(options);
      await withOperations(async (operations) => {
        if (format === 'json') {
          const { view } = await operations.inspect(id);
          return printJson(view.events);
        }
        if (options.follow) {
          await follow(operations, id, { withOutput: options.allOutput });
          return;
        }
        const { view } = await operations.inspect(id);
        printLine(renderEvents(view.events, options.allOutput));
      });
    },
  );
}
