// Where the `reduce` tier may be used: only by analysis steps that say how far to reduce (`reduceTo`),
// since lowering traffic and waiting for a person is something an analysis step does. Automatic rollback
// rules run outside analysis steps (through the rollout and the monitor stages): there, use pause.

type Issue = (path: (string | number)[], message: string) => void;

export function reduceChecks(plan: Record<string, unknown>, issue: Issue): void {
  const automatic = isMap(plan.rollback) ? plan.rollback.automatic : undefined;
  if (Array.isArray(automatic)) {
    automatic.forEach((rule, index) => {
      if (tierOf(rule) === 'reduce')
        issue(
          ['rollback', 'automatic', index],
          'reduce lowers traffic during an analysis step; automatic rules also run outside them: use pause (a person decides) or rollback here, and put the reduce rule in the analysis step that has reduceTo',
        );
    });
  }
  const planRules = isMap(plan.analysis) ? plan.analysis.rules : undefined;
  const planReduces = Array.isArray(planRules) && planRules.some((rule) => tierOf(rule) === 'reduce');
  for (const section of ['steps', 'strategy'] as const) {
    for (const { step, path } of analysisSteps(plan[section], [section])) {
      const ownRules = step.rules;
      const reduces = Array.isArray(ownRules)
        ? ownRules.some((rule) => tierOf(rule) === 'reduce')
        : planReduces;
      if (reduces && typeof step.reduceTo !== 'number')
        issue(
          [...path, 'analysis'],
          'a reduce rule applies to this analysis step: add `reduceTo: PERCENT`, the traffic the new version keeps while a person decides',
        );
    }
  }
}

/** The tier of a parsed rule (an object with `tier`), or undefined for one that did not parse. */
function tierOf(rule: unknown): unknown {
  return isMap(rule) ? rule.tier : undefined;
}

function* analysisSteps(
  value: unknown,
  path: (string | number)[],
): Generator<{ step: Record<string, unknown>; path: (string | number)[] }> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* analysisSteps(value[i], [...path, i]);
    return;
  }
  if (!isMap(value)) return;
  if (isMap(value.analysis) && 'duration' in value.analysis) {
    yield { step: value.analysis, path };
    return;
  }
  for (const [key, child] of Object.entries(value)) yield* analysisSteps(child, [...path, key]);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
