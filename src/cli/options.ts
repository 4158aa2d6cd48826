// Options shared by several verbs, declared once so `--help` reads the same everywhere.

import { type Command, Option } from 'commander';

export function outputOption(command: Command): Command {
  return command.addOption(
    new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
  );
}

export function asOption(command: Command): Command {
  return command.option('--as <user>', 'act as this user (default: $GANTRY_USER, else the OS user)');
}
