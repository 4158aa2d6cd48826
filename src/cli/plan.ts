// `gantry plan PLAN`: the steps a plan expands to, on both tracks, without running anything.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { planFromSnapshot } from '../engine/runtime.js';
import { GantryError } from '../errors.js';
import { expandPlan } from '../plan/expand.js';
import type { PlannedStep } from '../plan/planned-step.js';
import { STEP_HANDLERS } from '../steps/registry.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

export function registerPlan(program: Command): void {
  const command = program
    .command('plan')
    .description('Print the steps a plan expands to (gates, steps, strategy, rollback); nothing runs')
    .argument('<plan>', 'plan file (YAML)')
    .option('--version <version>', 'the version it would deploy');
  outputOption(command).action(async (file: string, options: { version?: string; output: string }) => {
    const format = formatOf(options);
    const path = resolve(file);
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (thrown) {
      throw new GantryError(
        'GANTRY_PLAN_NOT_FOUND',
        `cannot read plan ${path}: ${(thrown as Error).message}`,
      );
    }
    const plan = planFromSnapshot({ path, source });
    const expanded = expandPlan(plan);
    if (format === 'json')
      return printJson({
        service: plan.service,
        environment: plan.environment,
        version: options.version ?? null,
        ...expanded,
      });
    printLine(
      `${plan.service} → ${plan.environment}${options.version ? ` (version ${options.version})` : ''}: ${expanded.main.length} steps, ${expanded.rollback.length} on rollback`,
    );
    printLine('');
    for (const step of expanded.main) printLine(stepLine(step));
    if (expanded.rollback.length > 0) {
      printLine('\non failure or abort:');
      for (const step of expanded.rollback) printLine(stepLine(step));
    }
  });
}

function stepLine(step: PlannedStep): string {
  const handler = STEP_HANDLERS.get(step.kind);
  const safety = handler && !handler.idempotent(step.spec) ? '  [not re-run after a crash]' : '';
  return `  ${String(step.index + 1).padStart(3)}. ${step.id.padEnd(14)} ${step.name}${safety}`;
}
