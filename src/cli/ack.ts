// `gantry ack ID`: take the page. Journals who acknowledged the escalation running for a deployment (the
// ladder stops; the channels already paged hear who took it). It answers nothing: an interrupted
// deployment still waits for `gantry resume --retry|--skip` or `gantry abort`.

import type { Command } from 'commander';
import { withOperations } from './context.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

export function registerAck(program: Command): void {
  const command = program
    .command('ack')
    .description('Acknowledge the escalation of a deployment waiting for a person: the paging stops')
    .argument('<id>', 'deployment id')
    .option('--comment <text>', 'recorded with the acknowledgement and sent to the channels already paged')
    .addHelpText(
      'after',
      ['', 'Example:', '  gantry ack d-1a2b3c4d5e --as alice --comment "looking at the migration now"'].join(
        '\n',
      ),
    );
  asOption(outputOption(command)).action(
    async (id: string, options: { comment?: string; as?: string; output: string }) => {
      const format = formatOf(options);
      await withOperations(async (operations) => {
        const acked = await operations.acknowledge(id, { comment: options.comment, as: options.as });
        if (format === 'json') return printJson({ id, ...acked });
        printLine(
          `${id}: escalation acknowledged by ${acked.user} after ${acked.levelsSent} of ${acked.levels} level(s); it is still ${acked.trigger}`,
        );
      });
    },
  );
}
