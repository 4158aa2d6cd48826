// Operator commands (pause, resume, promote, abort, retry, skip): checked against the deployment's state,
// then journaled; the run driving the deployment reads them from the journal and acts.

import { EVENT, type OperatorCommand } from '../deployment/events.js';
import { isPaused } from '../deployment/state.js';
import { isTerminal, type Status } from '../deployment/status.js';
import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { loadDeployment } from './inspect.js';

export interface CommandOptions {
  user: string;
  reason?: string;
  full?: boolean;
}

const ALLOWED: Record<OperatorCommand, readonly Status[]> = {
  pause: ['pending', 'running', 'waiting'],
  resume: ['paused'],
  promote: ['running', 'waiting', 'paused'],
  abort: ['pending', 'running', 'waiting', 'paused', 'interrupted'],
  retry: ['interrupted'],
  skip: ['interrupted'],
};

export async function giveCommand(
  journal: Journal,
  id: string,
  command: OperatorCommand,
  options: CommandOptions,
): Promise<Status> {
  const { state } = await loadDeployment(journal, id);
  if (isTerminal(state.status)) {
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      `${id} has ended (${state.status}); ${command} does nothing now`,
    );
  }
  const allowed = ALLOWED[command].includes(state.status) || (command === 'resume' && isPaused(state));
  if (!allowed) {
    throw new GantryError('GANTRY_INVALID_STATE', `cannot ${command} ${id} while it is ${state.status}`, {
      hint: hintFor(command, id, state.status),
    });
  }
  if (command === 'abort' && state.track === 'rollback') {
    throw new GantryError('GANTRY_INVALID_STATE', `${id} is already rolling back`);
  }
  await journal.append([
    {
      deploymentId: id,
      events: [
        {
          type: EVENT.operatorCommand,
          data: {
            command,
            ...(options.reason ? { reason: options.reason } : {}),
            ...(options.full ? { full: true } : {}),
          },
          actor: options.user,
        },
      ],
    },
  ]);
  return state.status;
}

function hintFor(command: OperatorCommand, id: string, status: Status): string {
  if (status === 'interrupted')
    return `answer the interruption: \`gantry resume ${id} --retry\`, \`--skip\`, or \`gantry abort ${id}\``;
  if (command === 'resume') return `it is not paused; \`gantry status ${id}\` shows what it is doing`;
  return `\`gantry status ${id}\` shows what it is doing`;
}
