// `gantry worker`: an engine process. With --deployment it drives that one and exits when it ends;
// without, it adopts every deployment whose engine is gone and keeps looking for more. Several workers on one
// Postgres journal (GANTRY_DATABASE_URL) share the deployments: one lease each, taken over when it expires.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { exitCodeOf } from '../deployment/status.js';
import { adoptOrphans } from '../engine/adopt.js';
import { Engine } from '../engine/engine.js';
import { formatError, GantryError, toError } from '../errors.js';
import { SQLITE_FILE } from '../journal/open.js';
import { formatDuration, parseDuration } from '../units/duration.js';
import { gantryHome, withJournal } from './context.js';
import { setExitCode } from './program.js';

interface WorkerOptions {
  deployment?: string;
  replan?: boolean;
  as?: string;
  pollMs: string;
  leaseTtl: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'Run an engine: drive one deployment (--deployment) or adopt every deployment left without an engine',
    )
    .option('--deployment <id>', 'drive this deployment, then exit')
    .option('--replan', 'accept a plan whose steps changed since the deployment started')
    .option('--as <user>', 'who accepted the re-plan')
    .option('--poll-ms <ms>', 'how often to look for deployments to adopt', '1000')
    .option(
      '--lease-ttl <duration>',
      'how long a deployment stays owned by this worker without a renewal; another worker takes it over after that',
      '15s',
    )
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  gantry worker --deployment d-1a2b3c4d5e        drive one deployment to its end',
        '  GANTRY_DATABASE_URL=postgres://gantry@db/gantry gantry worker --lease-ttl 10s',
        '                                                 one of several instances sharing the deployments',
      ].join('\n'),
    )
    .action(async (options: WorkerOptions, cmd: Command) => {
      const leaseTtlMs = parseDuration(options.leaseTtl);
      if (leaseTtlMs === undefined || leaseTtlMs < 1_000) {
        throw new GantryError(
          'GANTRY_USAGE',
          `--lease-ttl ${options.leaseTtl} is not a duration of 1s or more`,
          {
            hint: 'write it like 15s or 1m',
          },
        );
      }
      await withJournal(async (journal) => {
        const log = (line: string) => process.stdout.write(`${line}\n`);
        const engine = new Engine({ journal, logFor: () => log, leaseTtlMs });
        const stopping = new AbortController();
        const shutdown = () => {
          stopping.abort();
          void engine.close();
        };
        process.once('SIGTERM', shutdown);
        process.once('SIGINT', shutdown);
        const watch = journal.backend === 'sqlite' ? watchStateDirectory(log, shutdown) : undefined;
        if (!options.deployment) {
          log(
            `engine ${engine.holder.holderId} adopting deployments (${journal.backend} journal, lease ${formatDuration(leaseTtlMs)})`,
          );
          await adoptOrphans(engine, journal, {
            pollMs: Number(options.pollMs),
            log,
            signal: stopping.signal,
          });
          if (watch) clearInterval(watch);
          return;
        }
        log(`engine ${engine.holder.holderId} driving ${options.deployment}`);
        try {
          const status = await engine.drive(options.deployment, { replan: options.replan, by: options.as });
          log(`${options.deployment} ended: ${status}`);
          setExitCode(cmd, exitCodeOf(status));
        } catch (thrown) {
          log(formatError(toError(thrown)));
          setExitCode(cmd, 2);
        } finally {
          if (watch) clearInterval(watch);
        }
      });
    });
}

const STATE_CHECK_MS = 5_000;

/**
 * An engine whose state directory was deleted can never be reached again (its journal file is gone for
 * everyone else): it stops instead of waiting forever on an approval nobody can give.
 */
function watchStateDirectory(log: (line: string) => void, shutdown: () => void): NodeJS.Timeout {
  const database = join(gantryHome(), SQLITE_FILE);
  const timer = setInterval(() => {
    if (existsSync(database)) return;
    log(
      `the journal ${database} was removed; this engine stops (its deployments cannot be reached any more)`,
    );
    clearInterval(timer);
    shutdown();
  }, STATE_CHECK_MS);
  timer.unref();
  return timer;
}
