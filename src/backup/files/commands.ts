// The tar invocations of a files backup, as data. The archive goes through stdout and stdin (see
// ../postgres/commands.ts for why).

import type { ToolCommand } from '../tool-process.js';

export function tarCreateCommand(baseDir: string, paths: readonly string[]): ToolCommand {
  return {
    argv: ['tar', '--create', '--gzip', '--file=-', `--directory=${baseDir}`, '--', ...paths],
    env: {},
  };
}

export function tarListCommand(archive: string): ToolCommand {
  return { argv: ['tar', '--list', '--gzip', `--file=${archive}`], env: {} };
}

export function tarExtractCommand(baseDir: string): ToolCommand {
  return { argv: ['tar', '--extract', '--gzip', '--file=-', `--directory=${baseDir}`], env: {} };
}
