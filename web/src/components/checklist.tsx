// The plan's checklists: each item, who checked it and when, and a button for those who may check.

import { useState } from 'react';
import type { DeploymentState } from '../../../src/deployment/state.js';
import { api, type StepOutline } from '../api.js';

interface Props {
  id: string;
  steps: StepOutline[];
  state: DeploymentState;
  open: StepOutline | undefined;
}

export function Checklist({ id, steps, state, open }: Props) {
  const [error, setError] = useState<string>();
  const lists = steps.filter((step) => step.kind === 'checklist' && step.items);
  if (lists.length === 0) return null;
  const check = async (itemIndex: number) => {
    setError(undefined);
    try {
      await api('POST', `/api/deployments/${encodeURIComponent(id)}/check`, { item: String(itemIndex + 1) });
    } catch (thrown) {
      setError((thrown as Error).message);
    }
  };
  return (
    <section className="panel" aria-label="checklist">
      <h2>Checklist</h2>
      {lists.map((step) => (
        <ul key={step.id} className="checklist" data-testid="checklist">
          {(step.items ?? []).map((item, index) => {
            const done = state.checks.find((c) => c.stepId === step.id && c.itemIndex === index);
            return (
              <li key={item} className={done ? 'checked' : ''}>
                <span className="check-box" aria-hidden="true">
                  {done ? '☑' : '☐'}
                </span>
                <span className="check-text">{item}</span>
                {done ? (
                  <span className="muted">
                    {' '}
                    — {done.by}, {done.at.slice(11, 19)}
                  </span>
                ) : open?.id === step.id ? (
                  <button
                    type="button"
                    className="small"
                    onClick={() => check(index)}
                    data-testid={`check-${index + 1}`}
                  >
                    Check
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      ))}
      {error ? <p className="error">{error}</p> : null}
    </section>
  );
}
