// `gantry history`: past and present deployments, newest first.

import type { Command } from 'commander';
import { withOperations } from './context.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

interface HistoryOptions {
  service?: string;
  env?: string;
  limit: string;
  output: string;
}

export function registerHistory(program: Command): void {
  const command = program
    .command('history')
    .description('List deployments, newest first')
    .option('--service <name>', 'only this service')
    .option('--env <environment>', 'only this environment')
    .option('--limit <n>', 'at most this many', '20');
  outputOption(command).action(async (options: HistoryOptions) => {
    const format = formatOf(options);
    await withOperations(async (operations) => {
      const rows = await operations.listDeployments({
        service: options.service,
        environment: options.env,
        limit: Number(options.limit),
      });
      const records = rows.map(({ plan: _plan, ...record }) => record);
      if (format === 'json') return printJson(records);
      if (records.length === 0) return printLine('no deployments yet');
      for (const d of records) {
        printLine(
          `${d.createdAt.slice(0, 19).replace('T', ' ')}  ${d.id}  ${d.service} ${d.version} → ${d.environment}  ${d.status.padEnd(11)} ${d.requestedBy}`,
        );
      }
    });
  });
}
