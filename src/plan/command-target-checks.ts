// What a strategy needs from a command target: which commands it runs, whether versions live side by side
// in slots (`${color}`), and which strategy settings a data plane that rolls by itself cannot honour.

import { stepLists } from './backup-checks.js';
import { isMap } from './schema-walk.js';
import type { Issue, Path } from './target-checks.js';

interface StepAt {
  path: Path;
  step: Record<string, unknown>;
}

const AT = ['target', 'command'];

export function commandTargetChecks(
  plan: Record<string, unknown>,
  command: Record<string, unknown>,
  issue: Issue,
): void {
  const has = (operation: string) => typeof command[operation] === 'string';
  const strategy = isMap(plan.strategy) ? plan.strategy : {};
  if (has('setTraffic') && has('switch')) {
    issue(
      AT,
      'define setTraffic or switch, not both: setTraffic sets every split (100/0 included); switch is for data planes that can only point all traffic at one slot',
    );
  }
  if (isMap(strategy.canary)) canaryNeeds(strategy.canary, has, issue);
  if (isMap(strategy.blueGreen) && !has('setTraffic') && !has('switch')) {
    issue(
      AT,
      'blueGreen switches all traffic to the new version, so target.command needs `switch` (e.g. kubectl patch service api -p \'{"spec":{"selector":{"deployment":"api-${to.color}"}}}\') or `setTraffic`',
    );
  }
  if (isMap(strategy.canary) || isMap(strategy.blueGreen)) slotNeeds(command, issue);
  if (isMap(strategy.rolling)) rollingLimits(strategy.rolling, issue);
  if (isMap(strategy.recreate)) {
    if (!has('stop')) {
      issue(
        AT,
        'recreate stops the previous version before starting the new one, so target.command needs `stop`',
      );
    }
    if (strategy.recreate.maintenance !== false && !has('maintenance')) {
      issue(
        AT,
        'recreate serves the maintenance page while it replaces the version, so target.command needs `maintenance`; or set strategy.recreate.maintenance: false',
      );
    }
  }
  for (const step of stepsOf(plan)) stepNeeds(step, has, headerOf(command), issue);
}

function canaryNeeds(canary: Record<string, unknown>, has: (op: string) => boolean, issue: Issue): void {
  const steps = Array.isArray(canary.steps) ? canary.steps : [];
  const partial = steps.findIndex(
    (step) => isMap(step) && typeof step.setWeight === 'number' && step.setWeight > 0 && step.setWeight < 100,
  );
  if (partial >= 0 && !has('setTraffic')) {
    issue(
      ['strategy', 'canary', 'steps', partial, 'setWeight'],
      `setWeight ${(steps[partial] as { setWeight: number }).setWeight} sends part of the traffic to the new version, so target.command needs \`setTraffic\`: a command that sets \${weight.new} (e.g. kubectl annotate ingress api-canary nginx.ingress.kubernetes.io/canary-weight=\${weight.new} --overwrite)`,
    );
  } else if (!has('setTraffic') && !has('switch')) {
    issue(AT, 'canary moves traffic to the new version, so target.command needs `setTraffic`');
  }
}

/**
 * Side by side, the two versions must not be one thing: start and stop name the slot (`${color}`), or the
 * version where the platform keeps a deployment per version (Vercel, Cloud Run). One that names neither
 * would replace or stop the version serving users.
 */
function slotNeeds(command: Record<string, unknown>, issue: Issue): void {
  for (const operation of ['start', 'stop']) {
    const template = command[operation];
    // A misplaced slot variable (${old.color}) is reported where it is written, by the variable checks.
    if (typeof template !== 'string' || /\$\{[\w.]*(color|version)\}/.test(template)) continue;
    issue(
      [...AT, operation],
      `the new version runs beside the previous one, so ${operation} must say which: the slot with \${color} (deployment/api-\${color}), or \${version} where the platform keeps a deployment per version; as written it ${operation === 'start' ? 'replaces' : 'stops'} the version serving users`,
    );
  }
}

function rollingLimits(rolling: Record<string, unknown>, issue: Issue): void {
  const why = {
    batchSize: `batchSize ${String(rolling.batchSize)}: the command target rolls out with one \`start\` command (kubectl set image … && kubectl rollout status …), and the platform replaces instances in batches itself (maxSurge, maxUnavailable): remove batchSize`,
    minHealthy: `minHealthy ${String(rolling.minHealthy)}: the command target rolls out with one \`start\` command, and the platform keeps instances healthy itself (maxUnavailable): remove minHealthy`,
    betweenBatches:
      'the command target rolls out with one `start` command, so there are no batches to run steps between: move them to `steps.after`',
  };
  // The plan arrives parsed, defaults filled in: only settings that differ from them are refused.
  const written = {
    batchSize: typeof rolling.batchSize === 'number' && rolling.batchSize !== 1,
    minHealthy: rolling.minHealthy !== undefined,
    betweenBatches: Array.isArray(rolling.betweenBatches) && rolling.betweenBatches.length > 0,
  };
  for (const [key, message] of Object.entries(why)) {
    if (written[key as keyof typeof written]) issue(['strategy', 'rolling', key], message);
  }
}

function stepNeeds(at: StepAt, has: (op: string) => boolean, header: string, issue: Issue): void {
  const { path, step } = at;
  if ('headerRoute' in step && step.headerRoute === true && !has('headerRoute')) {
    issue(
      [...path, 'headerRoute'],
      'headerRoute: true needs target.command.headerRoute, a command that routes requests with ${canaryHeader} to ${headerRoute.version}',
    );
  }
  if ('maintenance' in step && !has('maintenance')) {
    issue(
      [...path, 'maintenance'],
      'a maintenance step needs target.command.maintenance: a command that turns the page on and off',
    );
  }
  if (isMap(step.restore) && step.restore.stopTraffic === true && !has('maintenance')) {
    issue(
      [...path, 'restore', 'stopTraffic'],
      'stopTraffic serves the maintenance page during the restore, so target.command needs `maintenance`',
    );
  }
  const headers = isMap(step.http) && isMap(step.http.headers) ? step.http.headers : {};
  const canary = Object.keys(headers).find((name) => name.toLowerCase() === header.toLowerCase());
  if (canary && !has('headerRoute')) {
    issue(
      [...path, 'http', 'headers', canary],
      `target.command has no headerRoute command, so requests with ${canary}: ${JSON.stringify(String(headers[canary]))} are not sent to the new version: define headerRoute, or check the new version at an address of its own`,
    );
  }
}

function headerOf(command: Record<string, unknown>): string {
  return typeof command.canaryHeader === 'string' ? command.canaryHeader : 'X-Gantry-Canary';
}

/** Every step a person wrote, with its path: runbook, hooks, strategy lists, rollback. */
export function stepsOf(plan: Record<string, unknown>): StepAt[] {
  const lists = stepLists(plan);
  const strategy = isMap(plan.strategy) ? plan.strategy : {};
  const extra: [Path, unknown][] = [
    [
      ['strategy', 'rolling', 'betweenBatches'],
      isMap(strategy.rolling) ? strategy.rolling.betweenBatches : undefined,
    ],
    [
      ['strategy', 'recreate', 'whileStopped'],
      isMap(strategy.recreate) ? strategy.recreate.whileStopped : undefined,
    ],
    [['strategy', 'recreate', 'checks'], isMap(strategy.recreate) ? strategy.recreate.checks : undefined],
  ];
  for (const [path, steps] of extra) if (Array.isArray(steps)) lists.push({ path, steps });
  return lists.flatMap(({ path, steps }) =>
    steps.flatMap((step, index) => (isMap(step) ? [{ path: [...path, index], step }] : [])),
  );
}
