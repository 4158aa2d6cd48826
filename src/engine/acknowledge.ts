// `gantry ack`: a person takes the page. Journals who acknowledged the escalation running for the
// deployment; the engine stops the ladder and tells the channels already paged (PagerDuty acknowledges).

import { EVENT } from '../deployment/events.js';
import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import { escalationEpisode, levelsSent, waitsForPerson } from '../notify/escalation.js';
import { expandPlan } from '../plan/expand.js';
import { escalationLadder } from '../plan/schema/notify.js';
import { loadDeployment } from './inspect.js';
import { planFromSnapshot } from './runtime.js';
import { planSnapshotOf } from './snapshot.js';

export interface Acknowledged {
  /** What the deployment is stuck in: interrupted, paused, failed, waiting. */
  trigger: string;
  levelsSent: number;
  levels: number;
}

export async function acknowledge(
  journal: Journal,
  id: string,
  options: { user: string; comment?: string },
): Promise<Acknowledged> {
  const view = await loadDeployment(journal, id);
  const plan = planFromSnapshot(planSnapshotOf(view.record, view.events));
  const { state } = view;
  const ladder = escalationLadder(plan.notify.escalation);
  const episode = ladder && escalationEpisode(state, ladder, waitsForPerson(state, expandPlan(plan)));
  if (!ladder || !episode || episode.answered) {
    throw new GantryError('GANTRY_INVALID_STATE', `${id} has no escalation running (it is ${state.status})`, {
      hint: ladder
        ? `its plan escalates while it is ${ladder.on.join(', ')} and nobody has acted; \`gantry status ${id}\` shows what it is doing`
        : 'its plan has no notify.escalation',
    });
  }
  if (episode.acknowledged) {
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      `${id}'s escalation was already acknowledged by ${episode.acknowledged.by} at ${episode.acknowledged.at}`,
    );
  }
  const sent = levelsSent(state, ladder, episode);
  await journal.append([
    {
      deploymentId: id,
      events: [
        {
          type: EVENT.escalationAcknowledged,
          data: {
            forEvent: episode.sinceEvent,
            levelsSent: sent,
            ...(options.comment ? { comment: options.comment } : {}),
          },
          actor: options.user,
        },
      ],
    },
  ]);
  return { trigger: episode.trigger, levelsSent: sent, levels: ladder.levels.length };
}
