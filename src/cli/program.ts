// The command tree. Each verb lives in its own file and registers itself here.

import { Command, CommanderError } from 'commander';
import { addServerOption } from './context.js';
import { reportError } from './output.js';
import { SERVER_VERBS, VERBS } from './verbs.js';

export interface VerbResult {
  /** Exit code; 0 when omitted. */
  exitCode?: number;
}

export function buildProgram(): Command {
  const program = new Command('gantry')
    .description('Runs production deployment runbooks as durable, explained, self-rolling-back plans.')
    .version(process.env.npm_package_version ?? '0.1.0')
    .enablePositionalOptions()
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const register of VERBS) register(program);
  addServerOption(program, SERVER_VERBS);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  let exitCode = 0;
  program.hook('postAction', (_thisCommand, actionCommand) => {
    exitCode = (actionCommand as Command & { exitCode?: number }).exitCode ?? 0;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (thrown) {
    if (thrown instanceof CommanderError) {
      return thrown.exitCode === 0 ? 0 : 2;
    }
    const wantsJson = argv.includes('json') && (argv.includes('-o') || argv.includes('--output'));
    return reportError(thrown, wantsJson ? 'json' : 'text');
  }
}

/** Sets the process exit code for a verb from inside its action. */
export function setExitCode(command: Command, code: number): void {
  (command as Command & { exitCode?: number }).exitCode = code;
}
