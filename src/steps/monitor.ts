// `monitor`: a watch stage after promotion. It waits its `for` (the deadline counts from its first start, so
// restarts don't extend it) while the rollback watcher evaluates the automatic rules every `every`; a rule
// that fires rolls back (the run stops this step) or pauses (this step ends, the run waits for a person).

import { decisionRecord } from '../analysis/decision.js';
import { EVENT } from '../deployment/events.js';
import type { MonitorStep } from '../plan/schema/steps.js';
import { formatDuration } from '../units/duration.js';
import type { StepHandler } from './step.js';

/** How often the step looks for a pause decision while it waits. */
const CHECK_MS = 1_000;

export const monitorHandler: StepHandler<MonitorStep> = {
  kind: 'monitor',
  idempotent: () => true,
  async run(context, spec) {
    const { every, for: forMs } = spec.monitor;
    const deadline = context.firstStartedAt.getTime() + forMs;
    const pausedSince = () => (context.state().pauseRequest?.eventIndex ?? -1) > context.firstStartedAtEvent;
    while (Date.now() < deadline) {
      if (pausedSince()) return { ok: true, result: { verdict: 'pause' } };
      await context.sleepUntil(new Date(Math.min(Date.now() + CHECK_MS, deadline)));
    }
    const rules = context.plan.rollback.automatic.length;
    const explanation =
      rules === 0
        ? `watched for ${formatDuration(forMs)}; no automatic rollback rules to evaluate`
        : `no automatic rollback rule fired in ${formatDuration(forMs)} of monitoring (${rules} rule${rules === 1 ? '' : 's'} evaluated every ${formatDuration(every)})`;
    await context.record(
      EVENT.decision,
      decisionRecord({ tier: 'pass', explanation, evidence: [] }, { source: 'monitor' }),
    );
    return { ok: true, result: { verdict: 'pass' } };
  },
};
