// `notify`: sends a message to channels. A failed delivery is recorded in the result, never fatal.

import { severityOf } from '../notify/severity.js';
import type { NotifyStep } from '../plan/schema/steps.js';
import type { StepHandler } from './step.js';

export const notifyHandler: StepHandler<NotifyStep> = {
  kind: 'notify',
  idempotent: () => true,
  async run(context, spec) {
    const { deployment } = context;
    // Messages leave Gantry: a secret templated into one is redacted like any other output.
    const title = `${deployment.service} ${deployment.version} → ${deployment.environment}: ${context.step.name}`;
    const text = context.redact(context.render(spec.notify.message ?? title));
    const deliveries = await context.services.notifications.send(spec.notify.channels, {
      deliveryId: `${deployment.id}:${context.step.id}`,
      event: 'step',
      severity: severityOf('step', context.plan.notify.severity),
      title: spec.notify.message ? firstLine(text) : context.redact(title),
      text,
      deployment: { ...deployment, status: context.state().status },
      at: new Date().toISOString(),
    });
    for (const delivery of deliveries) {
      if (!delivery.ok)
        context.log(`notification to ${delivery.channel} failed: ${context.redact(delivery.error ?? '')}`);
    }
    return {
      ok: true,
      result: { deliveries: deliveries.map((d) => ({ ...d, error: d.error && context.redact(d.error) })) },
    };
  },
};

/** A message's first line, cut to a subject's length. */
function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > 150 ? `${line.slice(0, 149)}…` : line;
}
