// `gantry restore`: an operator restores a recorded backup by hand, with the checks a restore step makes
// (not deleted, verified, file present and unchanged). It asks first unless --yes; the restore is journaled
// on the deployment that took the backup, where an interrupted rollback sees it.

import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { type CatalogueEntry, findBackup } from '../backup/catalogue.js';
import { backupIdOf } from '../backup/record.js';
import { refusalOf, restoreBackup } from '../backup/restore.js';
import { restoreTargetOf } from '../backup/source.js';
import { EVENT } from '../deployment/events.js';
import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { Redactor } from '../secrets/redactor.js';
import { formatBytes } from '../units/bytes.js';
import { formatDuration, parseDuration } from '../units/duration.js';
import { actingUser, withJournal } from './context.js';
import { asOption, outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

interface RestoreOptions {
  deployment?: string;
  name?: string;
  yes?: boolean;
  allowUnverified?: boolean;
  timeout: string;
  as?: string;
  output: string;
}

export function registerRestore(program: Command): void {
  const command = program
    .command('restore')
    .description(
      'Restore a backup by hand (pg_restore --clean --if-exists in one transaction, or extract files)',
    )
    .argument('[backup]', 'backup id, as `gantry backups` lists it (DEPLOYMENT.NAME)')
    .option('--deployment <id>', 'with --name: the deployment that took the backup')
    .option('--name <name>', "with --deployment: the backup's name in the plan")
    .option('--yes', 'do not ask for confirmation')
    .option('--allow-unverified', 'restore a backup taken with verify: false')
    .option('--timeout <duration>', 'give up (changing nothing) after this long', '1h')
    .addHelpText(
      'after',
      [
        '',
        'Stop the application first: the restore replaces the data the backup holds.',
        'The database URL comes from the plan that took the backup; set its secrets in the environment.',
        '',
        'Examples:',
        '  gantry restore d-1a2b3c4d5e.db',
        '  DATABASE_URL=postgres://… gantry restore --deployment d-1a2b3c4d5e --name db --yes',
      ].join('\n'),
    );
  asOption(outputOption(command)).action(
    async (id: string | undefined, options: RestoreOptions, cmd: Command) => {
      const format = formatOf(options);
      const user = actingUser(options.as);
      await withJournal(async (journal) => {
        const entry = await entryFor(journal, id, options);
        const refusal = await refusalOf(entry, { allowUnverified: options.allowUnverified ?? false });
        if (refusal) throw new GantryError('GANTRY_INVALID_STATE', refusal.message, { hint: refusal.hint });
        const record = await journal.getDeployment(entry.deploymentId);
        if (!record)
          throw new GantryError('GANTRY_DEPLOYMENT_NOT_FOUND', `no deployment ${entry.deploymentId}`);
        const { target, secrets } = restoreTargetOf(record, entry.name, process.env);
        const into = target.kind === 'postgres' ? target.connection.where : target.baseDir;
        if (!options.yes) await confirm(entry, into);
        const restored = await restoreBackup({
          backup: entry,
          target,
          signal: new AbortController().signal,
          timeoutMs: timeoutOf(options.timeout),
          redact: (text) => new Redactor(secrets).text(text),
        });
        if (!restored.ok) {
          if (format === 'json') printJson({ error: { code: restored.code, message: restored.message } });
          else process.stderr.write(`error [${restored.code}]: ${restored.message}\n`);
          setExitCode(cmd, 1);
          return;
        }
        await journal.append([
          {
            deploymentId: entry.deploymentId,
            events: [
              {
                type: EVENT.backupRestored,
                data: {
                  backupId: entry.backupId,
                  name: entry.name,
                  into: restored.into,
                  durationMs: restored.durationMs,
                  ...(restored.leftovers.length > 0 ? { leftovers: restored.leftovers } : {}),
                },
                actor: user,
              },
            ],
          },
        ]);
        if (format === 'json') return printJson({ backupId: entry.backupId, ...restored });
        printLine(
          `restored ${entry.backupId} into ${restored.into} in ${formatDuration(restored.durationMs)}`,
        );
        if (restored.leftovers.length > 0)
          printLine(`  tables created after the backup remain: ${restored.leftovers.join(', ')}`);
      });
    },
  );
}

async function entryFor(
  journal: Journal,
  id: string | undefined,
  options: RestoreOptions,
): Promise<CatalogueEntry> {
  if (id && (options.deployment || options.name))
    throw new GantryError(
      'GANTRY_USAGE',
      'name the backup by its id, or by --deployment and --name, not both',
    );
  if (!id && !(options.deployment && options.name))
    throw new GantryError('GANTRY_USAGE', 'which backup? give its id, or --deployment ID --name NAME', {
      hint: '`gantry backups` lists them',
    });
  const backupId = id ?? backupIdOf(options.deployment as string, options.name as string);
  const entry = await findBackup(journal, backupId);
  if (!entry) {
    throw new GantryError('GANTRY_INVALID_STATE', `no backup ${backupId} is recorded`, {
      hint: '`gantry backups` lists the backups deployments took',
    });
  }
  return entry;
}

async function confirm(entry: CatalogueEntry, into: string): Promise<void> {
  if (!process.stdin.isTTY) {
    throw new GantryError(
      'GANTRY_USAGE',
      `restoring ${entry.backupId} replaces data in ${into}; confirm with --yes`,
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await prompt.question(
    `Restore ${entry.backupId} (${formatBytes(entry.sizeBytes)}, taken ${entry.takenAt}) into ${into}?\nThis replaces the data it holds; stop the application first. [y/N] `,
  );
  prompt.close();
  if (!/^y(es)?$/i.test(answer.trim()))
    throw new GantryError('GANTRY_USAGE', 'restore cancelled; nothing changed');
}

function timeoutOf(text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new GantryError('GANTRY_USAGE', `--timeout ${text} is not a duration`, {
      hint: 'write it like 30m or 2h',
    });
  return ms;
}
