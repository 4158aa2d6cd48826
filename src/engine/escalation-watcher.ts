// The escalation ladder as a run extension (see notify/escalation.ts for who is told when). For a
// deployment that ended `failed`, the run stays alive after the end, holding its lease, until the ladder
// is acknowledged or has sent its last level.

import { escalationSchedule, waitsForPerson } from '../notify/escalation.js';
import { escalationLadder } from '../plan/schema/notify.js';
import { timedNotifications } from './timed-notifier.js';

export const escalationWatcher = timedNotifications('escalation', (runtime) => {
  const ladder = escalationLadder(runtime.plan.notify.escalation);
  if (!ladder) return undefined;
  const { severity } = runtime.plan.notify;
  return (state, nowMs) =>
    escalationSchedule(state, ladder, waitsForPerson(state, runtime.expanded), severity, nowMs);
});
