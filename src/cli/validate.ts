// `gantry validate PLAN`: every problem in a plan file, each at file:line:col with a caret; exit 2 if any.

import type { Command } from 'commander';
import { type Diagnostic, formatDiagnostics } from '../plan/diagnostics.js';
import { loadPlanFile } from '../plan/load.js';
import type { Plan } from '../plan/schema/plan.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

const EXAMPLES = `
Examples:
  $ gantry validate plan.yaml
  plan.yaml: valid (service shop-api, production, 6 steps)

  $ gantry validate -o json plan.yaml     # {"valid": false, "diagnostics": [{"file", "line", "column", …}]}

Exit codes: 0 valid, 2 invalid or unreadable.`;

export function registerValidate(program: Command): void {
  const command = program
    .command('validate')
    .description('Check a plan file and report every problem with its line and column; nothing runs')
    .argument('<plan>', 'plan file (YAML)')
    .addHelpText('after', EXAMPLES);
  outputOption(command).action(async (file: string, options: { output: string }, self: Command) => {
    const format = formatOf(options);
    const loaded = await loadPlanFile(file);
    const diagnostics = loaded.ok ? [] : loaded.diagnostics;
    if (format === 'json') printJson({ valid: loaded.ok, diagnostics: diagnostics.map(forJson) });
    else if (loaded.ok) printLine(`${file}: valid (${summary(loaded.plan)})`);
    else
      process.stderr.write(
        `${formatDiagnostics(diagnostics, loaded.source)}\n\n${countLine(file, diagnostics)}\n`,
      );
    setExitCode(self, loaded.ok ? 0 : 2);
  });
}

function forJson({ file, line, column, endLine, endColumn, message, path }: Diagnostic) {
  return { file, line, column, endLine, endColumn, message, path };
}

function countLine(file: string, diagnostics: readonly Diagnostic[]): string {
  const count = diagnostics.length;
  return `${file}: ${count} problem${count === 1 ? '' : 's'}; fix ${count === 1 ? 'it' : 'them'} and run gantry validate again`;
}

function summary(plan: Plan): string {
  const strategy = plan.strategy ? Object.keys(plan.strategy)[0] : undefined;
  const count = countSteps(plan);
  const steps = `${count} step${count === 1 ? '' : 's'}`;
  return [
    `service ${plan.service}`,
    plan.environment,
    strategy ? `${strategy} strategy, ${steps}` : steps,
  ].join(', ');
}

/** The steps the plan lists (a strategy's own steps and hooks, or the runbook's steps), before expansion. */
function countSteps(plan: Plan): number {
  const steps = plan.steps;
  const written =
    steps === undefined ? 0 : Array.isArray(steps) ? steps.length : steps.before.length + steps.after.length;
  const strategy = plan.strategy;
  const own =
    strategy && 'canary' in strategy
      ? strategy.canary.steps.length
      : strategy && 'blueGreen' in strategy
        ? strategy.blueGreen.prePromotion.length
        : 0;
  return written + own;
}
