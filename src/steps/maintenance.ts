// `maintenance`: users get the maintenance page (503, `X-Maintenance-Mode: true`, Retry-After) while the
// service is replaced; requests with the canary header still reach the new version, for checks.

import { EVENT } from '../deployment/events.js';
import type { MaintenanceStep } from '../plan/schema/steps.js';
import type { StepHandler } from './step.js';
import { changeTarget } from './target-change.js';

export const maintenanceHandler: StepHandler<MaintenanceStep> = {
  kind: 'maintenance',
  idempotent: () => true,
  async run(context, spec) {
    const { enabled, message, retryAfter } = spec.maintenance;
    const options = {
      ...(message ? { message: context.render(message) } : {}),
      ...(retryAfter !== undefined ? { retryAfterSeconds: Math.ceil(retryAfter / 1000) } : {}),
    };
    await changeTarget(context, `turn maintenance mode ${enabled ? 'on' : 'off'}`, (target) =>
      target.setMaintenance(enabled, options),
    );
    await context.record(EVENT.maintenanceSet, { enabled });
    return { ok: true, result: { enabled } };
  },
};
