// Builds the command target of a deployment from its plan: the record under GANTRY_HOME/targets/, the
// plan's secrets for rendering, and commands that log their (redacted) output to the deployment's log.

import { isAbsolute, resolve } from 'node:path';
import type { DeploymentRuntime } from '../../engine/runtime.js';
import type { CommandTarget as CommandConfig } from '../../plan/schema/command-target.js';
import { runsSideBySide } from '../../plan/target-variables.js';
import { shellRunner } from '../shell-command.js';
import { CommandTarget } from './command-target.js';
import { fileStateStore, recordPath } from './record-file.js';

export function connectCommandTarget(
  runtime: DeploymentRuntime,
  config: CommandConfig,
  home: string,
  log: (line: string) => void,
): CommandTarget {
  const { info, planDir, redactor } = runtime;
  const cwd =
    config.cwd === undefined ? planDir : isAbsolute(config.cwd) ? config.cwd : resolve(planDir, config.cwd);
  const redactedLog = (line: string) => log(redactor.text(line));
  return new CommandTarget({
    config,
    info,
    sideBySide: runsSideBySide(runtime.plan),
    store: fileStateStore(recordPath(home, info.service, info.environment)),
    run: shellRunner({ redact: (text) => redactor.text(text), log: redactedLog }),
    settings: { secrets: runtime.secrets, env: config.env, cwd, timeoutMs: config.timeout },
    log: redactedLog,
  });
}
