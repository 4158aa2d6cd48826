// `gantry token create|list|revoke`: API tokens for `gantry server`. Run on the journal's machine (no
// server needed, to make the first administrator's token) or through a server by an administrator.

import type { Command } from 'commander';
import { parseExpiry } from '../server/tokens.js';
import { parseDuration } from '../units/duration.js';
import { withOperations } from './context.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';
import { setExitCode } from './program.js';

const EXAMPLES = `
Examples:
  $ gantry user add alice --role deployer --role release-manager
  $ gantry token create --user alice --expires 30d
  $ GANTRY_SERVER=http://127.0.0.1:7070 GANTRY_TOKEN=gty.t-… gantry status
  $ gantry token list
  $ gantry token revoke t-1a2b3c4d5e`;

export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('Manage API tokens for gantry server')
    .addHelpText('after', EXAMPLES);
  const create = token
    .command('create')
    .description('Create a token for a user; it is printed once and only its hash is kept')
    .requiredOption('--user <name>', 'whose token it is (an existing user)')
    .option('--expires <duration>', 'lifetime such as 12h, 30d or 90d, or "never"', '30d')
    .option('--description <text>', 'what it is for, shown in `gantry token list`');
  outputOption(create).action(
    async (options: { user: string; expires: string; description?: string; output: string }) => {
      const format = formatOf(options);
      const expiresInMs = parseExpiry(options.expires, parseDuration);
      await withOperations(async (operations) => {
        const issued = await operations.createToken({
          user: options.user,
          expiresInMs,
          description: options.description,
        });
        if (format === 'json') return printJson(issued);
        printLine(issued.token);
        process.stderr.write(
          `token ${issued.record.id} for ${issued.record.user}, ${issued.record.expiresAt ? `expires ${issued.record.expiresAt}` : 'never expires'}; it is shown only now\n`,
        );
      });
    },
  );
  const list = token.command('list').description('List tokens: whose, when they expire, whether revoked');
  outputOption(list).action(async (options: { output: string }) => {
    const format = formatOf(options);
    await withOperations(async (operations) => {
      const tokens = await operations.listTokens();
      if (format === 'json') return printJson(tokens);
      if (tokens.length === 0)
        return printLine('no tokens; create one with `gantry token create --user NAME`');
      for (const t of tokens) {
        const state = t.revokedAt
          ? `revoked ${t.revokedAt}`
          : t.expiresAt && Date.parse(t.expiresAt) <= Date.now()
            ? `expired ${t.expiresAt}`
            : t.expiresAt
              ? `expires ${t.expiresAt}`
              : 'never expires';
        printLine(`${t.id}  ${t.user.padEnd(16)} ${state}${t.description ? `  ${t.description}` : ''}`);
      }
    });
  });
  const revoke = token
    .command('revoke')
    .description('Revoke a token at once')
    .argument('<id>', 'token id (t-…)');
  outputOption(revoke).action(async (id: string, options: { output: string }, cmd: Command) => {
    const format = formatOf(options);
    await withOperations(async (operations) => {
      const revoked = await operations.revokeToken(id);
      if (format === 'json') printJson({ id, revoked });
      else printLine(revoked ? `${id}: revoked` : `${id}: no such token, or revoked already`);
      setExitCode(cmd, revoked ? 0 : 2);
    });
  });
}
