// `window`: the deployment waits while outside its window and says when it opens; an override is journaled.

import type { Window } from '../plan/schema/window.js';
import { windowState } from '../window/open.js';
import type { StepHandler } from './step.js';

export const windowHandler: StepHandler<Window> = {
  kind: 'window',
  idempotent: () => true,
  async run(context, spec) {
    for (;;) {
      const override = context.state().windowOverride;
      if (override) return { ok: true, result: { overriddenBy: override.by, reason: override.reason } };
      const state = windowState(spec, new Date());
      if (state.open) return { ok: true, result: { openedAt: new Date().toISOString() } };
      const opens = state.opensAt ? `opens ${state.opensAt.toISOString()}` : 'no opening within a year';
      await context.waitFor(
        { waitingFor: `deployment window (${state.reason}; ${opens})`, until: state.opensAt ?? undefined },
        (current) => current.windowOverride,
      );
    }
  },
};
