// `gantry pause|promote|abort ID`: journal an operator command; the deployment's engine acts on it.

import type { Command } from 'commander';
import type { OperatorCommand } from '../deployment/events.js';
import { withOperations } from './context.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

interface VerbSpec {
  command: OperatorCommand;
  description: string;
  done: string;
  configure?: (command: Command) => Command;
}

const SPECS: VerbSpec[] = [
  {
    command: 'pause',
    description: 'Hold a deployment before its next step (traffic stays where it is)',
    done: 'pause requested',
  },
  {
    command: 'promote',
    description: 'Continue past a pause (or a pause rule); --full skips the remaining strategy steps',
    done: 'promoted',
    configure: (c) =>
      c.option(
        '--full',
        'go straight to 100% on the new version: the running check or lower weight stops and is skipped',
      ),
  },
  {
    command: 'abort',
    description: 'Stop a deployment and run its rollback',
    done: 'abort requested; rolling back',
  },
];

export function registerOperatorVerbs(program: Command): void {
  for (const spec of SPECS) {
    const base = program
      .command(spec.command)
      .description(spec.description)
      .argument('<id>', 'deployment id')
      .option('--reason <text>', 'recorded with the command');
    const command = asOption(outputOption(spec.configure ? spec.configure(base) : base));
    command.action(
      async (id: string, options: { reason?: string; full?: boolean; as?: string; output: string }) => {
        const format = formatOf(options);
        await withOperations(async (operations) => {
          const { user, engineStarted: started } = await operations.command(id, spec.command, {
            as: options.as,
            reason: options.reason,
            full: options.full,
          });
          if (format === 'json')
            return printJson({ id, command: spec.command, by: user, engineStarted: started !== undefined });
          printLine(
            `${id}: ${spec.done} by ${user}${started ? ` (its engine was not running; started pid ${started})` : ''}`,
          );
        });
      },
    );
  }
}
