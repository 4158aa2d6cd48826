// The steps of both tracks in order, each with its state and a bar showing when it ran on the
// deployment's time axis; the running or waiting step says what it waits for.

import { useMemo } from 'react';
import type { DeploymentState } from '../../../src/deployment/state.js';
import type { JournalEvent, StepOutline } from '../api.js';

interface Timing {
  startedAt?: number;
  endedAt?: number;
  waitingFor?: string;
}

function timingsOf(events: readonly JournalEvent[]): Map<string, Timing> {
  const timings = new Map<string, Timing>();
  for (const event of events) {
    const stepId = event.data.stepId;
    if (typeof stepId !== 'string') continue;
    const timing = timings.get(stepId) ?? {};
    const at = Date.parse(event.at);
    if (event.type === 'step.started') {
      timing.startedAt ??= at;
      timing.endedAt = undefined;
    } else if (['step.succeeded', 'step.failed', 'step.skipped'].includes(event.type)) timing.endedAt = at;
    else if (event.type === 'step.waiting') timing.waitingFor = String(event.data.waitingFor ?? '');
    timings.set(stepId, timing);
  }
  return timings;
}

function statusOf(state: DeploymentState, step: StepOutline): string {
  const progress = state.steps[step.id];
  if (progress?.outcome) return progress.outcome;
  if (progress?.retryAt) return 'retrying';
  if (state.current?.stepId === step.id) return state.status === 'waiting' ? 'waiting' : 'running';
  return 'pending';
}

interface Props {
  steps: { main: StepOutline[]; rollback: StepOutline[] };
  state: DeploymentState;
  events: readonly JournalEvent[];
  now: number;
}

export function StepTimeline({ steps, state, events, now }: Props) {
  const timings = useMemo(() => timingsOf(events), [events]);
  const shown = state.track === 'rollback' ? [...steps.main, ...steps.rollback] : steps.main;
  const start = Date.parse(events[0]?.at ?? new Date(now).toISOString());
  const span = Math.max(1, now - start);
  return (
    <ol className="timeline" data-testid="step-timeline">
      {shown.map((step) => {
        const status = statusOf(state, step);
        const timing = timings.get(step.id);
        const from = timing?.startedAt;
        const to = timing?.endedAt ?? (from !== undefined ? now : undefined);
        return (
          <li key={step.id} className={`step step-${status}`} data-step={step.id} data-status={status}>
            <span className="step-mark" aria-hidden="true" />
            <span className="step-name">
              {step.track === 'rollback' ? '↩ ' : ''}
              {step.name}
            </span>
            <span className="step-status">{status}</span>
            <span className="step-bar">
              {from !== undefined && to !== undefined ? (
                <span
                  className="step-bar-fill"
                  style={{
                    left: `${((from - start) / span) * 100}%`,
                    width: `${Math.max(0.4, ((to - from) / span) * 100)}%`,
                  }}
                />
              ) : null}
            </span>
            {status === 'waiting' && timing?.waitingFor ? (
              <span className="step-wait">{timing.waitingFor}</span>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
