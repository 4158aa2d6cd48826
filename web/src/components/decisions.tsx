// Every analysis decision in words, newest first, with its tier; and the approvals with what each
// approver saw of the analysis when they approved.

import type { DeploymentState } from '../../../src/deployment/state.js';
import type { Decision } from '../deployment/series.js';
import { TIER_COLOURS } from './metric-chart.js';

export function Decisions({ decisions }: { decisions: Decision[] }) {
  const shown = decisions
    .filter((d) => d.tier !== 'pass')
    .slice(-50)
    .reverse();
  const passes = decisions.length - decisions.filter((d) => d.tier !== 'pass').length;
  return (
    <section className="panel" aria-label="decisions">
      <h2>Decisions</h2>
      {decisions.length === 0 ? <p className="muted">No analysis decision yet.</p> : null}
      <ul className="decisions" data-testid="decisions">
        {shown.map((d) => (
          <li key={d.index} data-tier={d.tier}>
            <span className="tier" style={{ background: TIER_COLOURS[d.tier] ?? '#57606a' }}>
              {d.tier}
            </span>{' '}
            <time>{new Date(d.at * 1000).toISOString().slice(11, 19)}</time>{' '}
            <span className="explanation">{d.explanation}</span>
          </li>
        ))}
      </ul>
      {passes > 0 ? <p className="muted">{passes} passing checks not listed.</p> : null}
    </section>
  );
}

export function Approvals({ state }: { state: DeploymentState }) {
  if (state.approvals.length === 0) return null;
  return (
    <section className="panel" aria-label="approvals">
      <h2>Approvals</h2>
      <ul className="approvals" data-testid="approvals">
        {state.approvals.map((a) => (
          <li key={`${a.stepId}-${a.by}-${a.at}`}>
            <strong>{a.by}</strong> as {a.role} at {a.at.slice(11, 19)}
            {a.comment ? <q className="comment">{a.comment}</q> : null}
            {a.analysis ? (
              <span className="muted">
                {' '}
                saw:{' '}
                {a.analysis.decision
                  ? `${a.analysis.decision.tier} — ${a.analysis.decision.explanation}`
                  : 'no decision yet'}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
