// Stands in for the canary machinery (traffic steps, metric sources, analysis judges) in the dashboard
// tests: it writes the events those write — weight.set, analysis.measurement, analysis.decision — into
// a deployment that the server's real engine drives. A `rollback` decision makes that engine roll back,
// as a rule breach would. Once strategies and analysis run against gantry-proxy, the dashboard tests can
// deploy a real canary plan instead and drop this file.

import { EVENT } from '../../src/deployment/events.js';
import type { Journal, NewEvent } from '../../src/journal/journal.js';

export class CanaryFeed {
  constructor(
    private readonly journal: Journal,
    private readonly deploymentId: string,
  ) {}

  async write(events: NewEvent[]): Promise<void> {
    const [result] = await this.journal.append([{ deploymentId: this.deploymentId, events }]);
    if (!result?.ok) throw new Error(`cannot write to ${this.deploymentId}: ${JSON.stringify(result)}`);
  }

  setWeight(weightPct: number): Promise<void> {
    return this.write([{ type: EVENT.weightSet, data: { weightPct }, actor: 'engine' }]);
  }

  /** One round of analysis: a measurement per metric and the decision it led to. */
  analyse(values: Record<string, number>, decision: { tier: string; explanation: string; metric?: string }) {
    return this.write([
      ...Object.entries(values).map(([metric, value]) => ({
        type: EVENT.measurement,
        data: { metric, value, role: 'canary', summary: `${metric} = ${value}` },
        actor: 'engine',
      })),
      { type: EVENT.decision, data: decision, actor: 'engine' },
    ]);
  }
}
