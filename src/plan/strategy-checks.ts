// Checks of a strategy against its target that a single field's schema cannot make. Reads the raw plan
// defensively: it runs even when other parts of the plan are invalid, so every problem is reported at once.

type Issue = (path: (string | number)[], message: string) => void;

/** Steps that act on the new version's traffic, which exists only once the strategy has started it. */
const TRAFFIC_KINDS = ['setWeight', 'headerRoute'] as const;

export function strategyChecks(plan: Record<string, unknown>, issue: Issue): void {
  const strategy = isMap(plan.strategy) ? plan.strategy : {};
  const { instances, counted } = instancesOf(plan.target);
  if (isMap(strategy.blueGreen) && strategy.blueGreen.previewListen !== undefined) {
    issue(
      ['strategy', 'blueGreen', 'previewListen'],
      'a separate preview address is not available on the local target yet: remove previewListen and reach the preview at `listen` with the header X-Gantry-Canary: 1',
    );
  }
  const hooks = isMap(plan.steps) && Array.isArray(plan.steps.before) ? plan.steps.before : [];
  hooks.forEach((step: unknown, index) => {
    const kind = isMap(step) ? TRAFFIC_KINDS.find((key) => key in step) : undefined;
    if (kind)
      issue(
        ['steps', 'before', index, kind],
        `${kind} in \`before\` runs before the new version is started: move it into the strategy`,
      );
  });
  const rolling = isMap(strategy.rolling) ? strategy.rolling : {};
  if (typeof rolling.minHealthy === 'number' && rolling.minHealthy > instances) {
    issue(
      ['strategy', 'rolling', 'minHealthy'],
      `minHealthy ${rolling.minHealthy} is more than the ${instances} instance${instances === 1 ? '' : 's'} of ${counted}`,
    );
  }
}

/** Instances of each version, and where the plan says so, on whichever target it has. */
function instancesOf(target: unknown): { instances: number; counted: string } {
  const local = isMap(target) && isMap(target.local) ? target.local : undefined;
  const nginx = isMap(target) && isMap(target.nginx) ? target.nginx : undefined;
  if (nginx && isMap(nginx.slots)) {
    const servers = Object.values(nginx.slots).map((slot) =>
      isMap(slot) && Array.isArray(slot.servers) ? slot.servers.length : 0,
    );
    return { instances: Math.max(1, ...servers), counted: 'the servers of each target.nginx slot' };
  }
  const counted = local ? 'target.local.instances' : 'target.command.instances';
  const config = local ?? (isMap(target) && isMap(target.command) ? target.command : {});
  return { instances: typeof config.instances === 'number' ? config.instances : 1, counted };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
