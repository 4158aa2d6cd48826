// `gantry user add|list`: the people who approve, check and operate, and their roles.

import type { Command } from 'commander';
import { GantryError } from '../errors.js';
import { withOperations } from './context.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage users and their roles');
  const add = user
    .command('add')
    .description('Add a user, or replace the roles of an existing one')
    .argument('<name>', 'user name, as given to --as or GANTRY_USER')
    .option('--role <role...>', 'roles such as release-manager security-lead (repeatable)')
    .addHelpText('after', '\nExample:\n  gantry user add alice --role release-manager --role security-lead');
  outputOption(add).action(async (name: string, options: { role?: string[]; output: string }) => {
    const format = formatOf(options);
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]*$/.test(name))
      throw new GantryError('GANTRY_USAGE', `"${name}" is not a valid user name`);
    await withOperations(async (operations) => {
      const record = await operations.putUser(name, options.role ?? []);
      if (format === 'json') printJson(record);
      else printLine(`${record.name}: ${record.roles.join(', ') || 'no roles'}`);
    });
  });
  const list = user.command('list').description('List users and roles');
  outputOption(list).action(async (options: { output: string }) => {
    const format = formatOf(options);
    await withOperations(async (operations) => {
      const users = await operations.listUsers();
      if (format === 'json') return printJson(users);
      if (users.length === 0) printLine('no users; add one with `gantry user add NAME --role ROLE`');
      for (const record of users) printLine(`${record.name.padEnd(20)} ${record.roles.join(', ')}`);
    });
  });
}
