// `gantry status [ID]`: one deployment's steps, wait and engine; without ID, every deployment in progress.

import type { Command } from 'commander';
import { isTerminal } from '../deployment/status.js';
import { expandedPlanOf } from '../engine/inspect.js';
import type { Operations } from '../operations/operations.js';
import { withOperations } from './context.js';
import { follow } from './follow.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { ago, renderStatus, stepViews } from './render.js';

const ACTIVE = ['pending', 'running', 'waiting', 'paused', 'interrupted'] as const;

export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('Show a deployment (steps, what it waits for, its engine), or all deployments in progress')
    .argument('[id]', 'deployment id')
    .option('--watch', 'keep printing what happens until the deployment ends');
  outputOption(command).action(
    async (id: string | undefined, options: { watch?: boolean; output: string }) => {
      const format = formatOf(options);
      await withOperations(async (operations) => {
        if (!id) return listActive(operations, format);
        const { view, lease, leaseAlive: alive } = await operations.inspect(id);
        const plan = expandedPlanOf(view);
        if (format === 'json') {
          const { plan: _snapshot, ...record } = view.record;
          printJson({
            ...record,
            status: view.state.status,
            reason: view.state.statusReason,
            weightPct: view.state.weightPct,
            lastDecision: view.state.lastDecision,
            steps: stepViews(view.state, plan),
            approvals: view.state.approvals,
            checks: view.state.checks,
            engine: alive ? lease : null,
          });
          return;
        }
        printLine(renderStatus(view, plan, lease, alive));
        if (options.watch) {
          printLine('');
          const status = isTerminal(view.state.status)
            ? view.state.status
            : await follow(operations, id, { fromIndex: view.state.eventCount });
          printLine(`${id}: ${status}`);
        }
      });
    },
  );
}

async function listActive(operations: Operations, format: 'text' | 'json'): Promise<void> {
  const active = await operations.listDeployments({ statuses: ACTIVE });
  if (format === 'json') return printJson(active.map(({ plan: _plan, ...record }) => record));
  if (active.length === 0) return printLine('no deployment in progress; `gantry history` lists past ones');
  for (const d of active)
    printLine(
      `${d.id}  ${d.service} ${d.version} → ${d.environment}  ${d.status}  (${ago(d.createdAt)} by ${d.requestedBy})`,
    );
}
