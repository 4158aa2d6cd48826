// `gantry backups`: the backups recorded in the journal, newest first: where each is, its size, checksum and
// how it was verified.

import type { Command } from 'commander';
import { type CatalogueEntry, listBackups } from '../backup/catalogue.js';
import { formatBytes } from '../units/bytes.js';
import { withJournal } from './context.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

interface BackupsOptions {
  deployment?: string;
  service?: string;
  env?: string;
  all?: boolean;
  limit: string;
  output: string;
}

export function registerBackups(program: Command): void {
  const command = program
    .command('backups')
    .description('List the backups deployments took: size, checksum, verification, where the file is')
    .option('--deployment <id>', 'only the backups of this deployment')
    .option('--service <name>', 'only this service')
    .option('--env <environment>', 'only this environment')
    .option('--all', 'include backups deleted by retention')
    .option('--limit <n>', 'how many of the newest deployments to look through', '100')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  gantry backups --service shop-api',
        '  gantry backups --deployment d-1a2b3c4d5e -o json',
        '  gantry restore d-1a2b3c4d5e.db              restore one of them (see gantry restore --help)',
      ].join('\n'),
    );
  outputOption(command).action(async (options: BackupsOptions) => {
    const format = formatOf(options);
    await withJournal(async (journal) => {
      const entries = await listBackups(journal, {
        deploymentId: options.deployment,
        service: options.service,
        environment: options.env,
        includeDeleted: options.all,
        deployments: Number(options.limit),
      });
      if (format === 'json') return printJson(entries);
      if (entries.length === 0)
        return printLine('no backups recorded; plans take them with a `backup:` section');
      for (const entry of entries) printLine(backupLine(entry));
    });
  });
}

function backupLine(entry: CatalogueEntry): string {
  const check = entry.verified
    ? `verified (${entry.verified === 'restore' ? 'restored' : 'read back'})`
    : 'NOT verified';
  const state = entry.deleted ? `  DELETED ${entry.deleted.at.slice(0, 19).replace('T', ' ')}` : '';
  return [
    `${entry.backupId}  ${entry.takenAt.slice(0, 19).replace('T', ' ')}  ${entry.service} ${entry.version} → ${entry.environment}  ${entry.kind}  ${formatBytes(entry.sizeBytes)}  ${check}${state}`,
    `    ${entry.location} on ${entry.host}, sha256 ${entry.sha256.slice(0, 16)}…, of ${entry.source}${entry.restores.length > 0 ? `, restored ${entry.restores.length}×` : ''}`,
  ].join('\n');
}
