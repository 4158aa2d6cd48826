// Puts a configuration in place the way an operator would: write it, `nginx -t` (putting the old file
// back if it fails), reload, then wait until nginx answers with the new generation. Whatever step a crash
// cut off, applying the same configuration again finishes the job: a file already in place is not
// rewritten, a generation already served is not reloaded.

import { GantryError } from '../../errors.js';
import { type CommandRunner, runOrFail, type ShellCommand } from '../shell-command.js';
import { readConfigFile, writeConfigFile } from './config-file.js';

export interface NginxControl {
  path: string;
  run: CommandRunner;
  test: ShellCommand;
  reload: ShellCommand;
  /** The generation nginx serves now; undefined when it does not answer. */
  liveGeneration(): Promise<string | undefined>;
  reloadTimeoutMs: number;
  pollMs?: number;
  /** How long old workers may still accept connections after the new ones answer (nginx: 100ms). */
  settleMs?: number;
}

export async function applyConfig(text: string, generation: string, control: NginxControl): Promise<void> {
  const previous = await readConfigFile(control.path);
  if (previous !== text) {
    await writeConfigFile(control.path, text);
    try {
      await runOrFail(control.run, control.test);
    } catch (thrown) {
      await writeConfigFile(control.path, previous);
      throw thrown;
    }
  }
  if ((await control.liveGeneration()) === generation) return;
  await runOrFail(control.run, control.reload);
  await waitForGeneration(generation, control);
}

/**
 * nginx's master starts the new workers, then waits 100ms before it tells the old ones to stop accepting:
 * in that time a new connection may still get the old configuration. Done means the new generation
 * answered, then again on fresh connections once that pause is over.
 */
async function waitForGeneration(generation: string, control: NginxControl): Promise<void> {
  const deadline = Date.now() + control.reloadTimeoutMs;
  let live: string | undefined;
  let confirmed = false;
  for (;;) {
    live = await control.liveGeneration();
    if (live === generation) {
      if (confirmed) return;
      await sleep(control.settleMs ?? 200);
      confirmed = await answersAll(generation, control, 3);
      if (confirmed) return;
    }
    if (Date.now() > deadline) break;
    await sleep(control.pollMs ?? 50);
  }
  throw new GantryError(
    'GANTRY_TARGET',
    `nginx did not serve the new configuration of ${control.path} within ${control.reloadTimeoutMs}ms after the reload (${live ? `it still serves generation ${live}` : 'it does not answer'})`,
    {
      where: control.path,
      hint: "check that nginx runs and includes this file in its http block, and read nginx's error log; the step can run again once it does",
    },
  );
}

async function answersAll(generation: string, control: NginxControl, times: number): Promise<boolean> {
  for (let i = 0; i < times; i++) if ((await control.liveGeneration()) !== generation) return false;
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
