// A deployment: status and actions, the step timeline, traffic over time, each metric against its bands
// with the decisions marked, decision explanations, checklist, approvals, the event log and the plan.

import { useEffect, useMemo, useState } from 'react';
import type { Me } from '../api.js';
import { Actions } from '../components/actions.js';
import { AuditBadge } from '../components/audit-badge.js';
import { Checklist } from '../components/checklist.js';
import { Approvals, Decisions } from '../components/decisions.js';
import { EventLog } from '../components/event-log.js';
import { MetricChart } from '../components/metric-chart.js';
import { StepTimeline } from '../components/step-timeline.js';
import { WeightChart } from '../components/weight-chart.js';
import { allowedActions } from '../deployment/permissions.js';
import { decisionsOf, metricsOf, weightsOf } from '../deployment/series.js';
import { useDeployment } from '../deployment/use-deployment.js';

const TERMINAL = new Set(['succeeded', 'rolled_back', 'failed', 'aborted']);

function useNow(running: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, [running]);
  return now;
}

export function DeploymentPage({ id, me }: { id: string; me: Me }) {
  const { detail, events, state, error, live } = useDeployment(id);
  const ended = TERMINAL.has(state.status);
  const tick = useNow(!ended);
  const lastAt = events.length > 0 ? Date.parse(events[events.length - 1]?.at ?? '') : tick;
  const now = ended ? lastAt : Math.max(tick, lastAt);
  const weights = useMemo(() => weightsOf(events), [events]);
  const metrics = useMemo(() => metricsOf(events), [events]);
  const decisions = useMemo(() => decisionsOf(events), [events]);
  if (error) return <p className="error">{error}</p>;
  if (!detail) return <p className="muted">Loading {id}…</p>;
  const allSteps = [...detail.steps.main, ...detail.steps.rollback];
  const allowed = allowedActions(me, state, detail.steps.main);
  const record = detail.record;
  return (
    <div className="deployment" data-testid="deployment-page" data-status={state.status}>
      <header className="deployment-head">
        <h1>
          {record.service} <span className="version">{record.version}</span> → {record.environment}
        </h1>
        <span className={`status status-${state.status}`} data-testid="status">
          {state.status.replace('_', ' ')}
        </span>
        <span className={`badge ${live ? 'good' : ''}`} data-testid="live">
          {live ? 'live' : 'connecting…'}
        </span>
        {events.length > 0 ? <AuditBadge refreshKey={state.status} /> : null}
      </header>
      <p className="reason" data-testid="status-reason">
        {state.statusReason}
      </p>
      <p className="muted">
        {id} · requested by {record.requestedBy} at {record.createdAt.slice(0, 19).replace('T', ' ')}
        {record.previousVersion ? ` · replacing ${record.previousVersion}` : ''}
        {state.weightPct !== undefined ? ` · ${state.weightPct}% of traffic on ${record.version}` : ''}
        {detail.engine.alive && detail.engine.lease ? ` · engine ${detail.engine.lease.holderId}` : ''}
      </p>
      <Actions id={id} allowed={allowed} seenEventIndex={Math.max(0, events.length - 1)} />
      <div className="columns">
        <section className="panel" aria-label="steps">
          <h2>Steps</h2>
          <StepTimeline steps={detail.steps} state={state} events={events} now={now} />
        </section>
        <div className="stack">
          <section className="panel" aria-label="traffic">
            <h2>Traffic</h2>
            <WeightChart points={weights} now={now / 1000} />
          </section>
          <section className="panel" aria-label="metrics">
            <h2>Analysis</h2>
            {metrics.length === 0 ? <p className="muted">No measurement yet.</p> : null}
            {metrics.map((series) => (
              <MetricChart
                key={series.metric}
                series={series}
                bands={detail.bands.filter((b) => b.metric === series.metric)}
                decisions={decisions.filter((d) => d.metric === undefined || d.metric === series.metric)}
              />
            ))}
          </section>
          <Decisions decisions={decisions} />
        </div>
      </div>
      <div className="columns">
        <Checklist id={id} steps={allSteps} state={state} open={allowed.check} />
        <Approvals state={state} />
      </div>
      <EventLog events={events} />
      <details className="panel plan">
        <summary>Plan {record.plan.path}</summary>
        <pre data-testid="plan-source">{record.plan.source}</pre>
      </details>
    </div>
  );
}
