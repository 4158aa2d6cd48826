// Follows one deployment's journal for the demo's progress lines, and promotes it fully once it runs when
// asked to (the demo's first version).

import { EVENT } from '../deployment/events.js';
import { giveCommand } from '../engine/operator.js';
import type { Journal } from '../journal/journal.js';
import type { Progress } from './progress.js';

export function watchDeployment(
  journal: Journal,
  id: string,
  progress: Progress,
  promoteFully?: string,
): { stop(): Promise<void> } {
  let next = 0;
  let promoted = promoteFully === undefined;
  let stopping = false;
  const readMore = async () => {
    const events = await journal.readEvents(id, next);
    for (const event of events) {
      progress.event(event);
      next = event.index + 1;
      if (!promoted && event.type === EVENT.statusChanged && event.data.to === 'running') {
        promoted = true;
        await giveCommand(journal, id, 'promote', { user: 'demo', full: true, reason: promoteFully });
      }
      // Nobody is there to decide for a paused deployment: the demo gives up on it rather than wait forever.
      if (event.type === EVENT.statusChanged && event.data.to === 'paused') {
        progress.line('    the deployment waits for a person; the demo answers by aborting it');
        await giveCommand(journal, id, 'abort', { user: 'demo', reason: 'nobody to decide in a demo' });
      }
    }
  };
  const loop = (async () => {
    while (!stopping) {
      await readMore();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await readMore();
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}
