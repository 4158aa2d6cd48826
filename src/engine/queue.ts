// A queued deployment (`gantry deploy --queue`) waits for its service/environment lock, oldest first.

import type { Journal } from '../journal/journal.js';
import type { DeploymentRun } from './run.js';
import { sleepUntil } from './waiters.js';

const QUEUE_POLL_MS = 500;

export async function waitForQueuedLock(run: DeploymentRun, journal: Journal): Promise<void> {
  const { id, service, environment } = run.state;
  while (!(await journal.takeQueuedLock(id))) {
    const holder = await journal.lockHolder(service, environment);
    await run.setStatus(
      'waiting',
      `queued behind ${holder ? `${holder.id} (${holder.version}, ${holder.status})` : 'another deployment'}`,
    );
    await sleepUntil(new Date(Date.now() + QUEUE_POLL_MS), run.signal);
  }
}
