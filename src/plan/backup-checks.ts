// Plan-wide rules for backups, restores and migrations that no single step can check: backup names are
// unique, stopping traffic for a restore needs a target, and migrations belong on the main track (the
// rollback undoes them with their down command). Reads the raw plan, so it runs even when parts are invalid.

type Path = (string | number)[];
type Issue = (path: Path, message: string) => void;

export function backupChecks(plan: Record<string, unknown>, issue: Issue): void {
  const lists = stepLists(plan);
  uniqueBackupNames(plan, lists, issue);
  for (const { path, steps } of lists) {
    steps.forEach((step, index) => {
      if (!isMap(step)) return;
      if (isMap(step.restore) && step.restore.stopTraffic === true && !plan.target) {
        issue(
          [...path, index, 'restore', 'stopTraffic'],
          'stopTraffic needs a target to stop; without one, stop the application with a `run` step before the restore',
        );
      }
      if ('migrate' in step && path[0] === 'rollback') {
        issue(
          [...path, index, 'migrate'],
          'a migration in the rollback steps would never be undone: give the main-track migration a `down` command, or write this one as a `run` step',
        );
      }
    });
  }
}

function uniqueBackupNames(plan: Record<string, unknown>, lists: StepList[], issue: Issue): void {
  const seen = new Set<string>();
  const note = (name: unknown, path: Path) => {
    if (typeof name !== 'string') return;
    if (seen.has(name)) issue(path, `another backup is already named "${name}"; restore steps name backups`);
    seen.add(name);
  };
  if (Array.isArray(plan.backup)) {
    plan.backup.forEach((item, index) => {
      if (isMap(item)) note(item.name, ['backup', index, 'name']);
    });
  }
  for (const { path, steps } of lists) {
    steps.forEach((step, index) => {
      if (isMap(step) && isMap(step.backup)) note(step.backup.name, [...path, index, 'backup', 'name']);
    });
  }
}

interface StepList {
  path: Path;
  steps: unknown[];
}

/** Every list of steps a person writes: the runbook or its hooks, the strategy's own lists, the rollback. */
export function stepLists(plan: Record<string, unknown>): StepList[] {
  const lists: StepList[] = [];
  const add = (path: Path, value: unknown) => {
    if (Array.isArray(value)) lists.push({ path, steps: value });
  };
  if (Array.isArray(plan.steps)) add(['steps'], plan.steps);
  else if (isMap(plan.steps)) {
    add(['steps', 'before'], plan.steps.before);
    add(['steps', 'after'], plan.steps.after);
  }
  const strategy = isMap(plan.strategy) ? plan.strategy : {};
  if (isMap(strategy.canary)) add(['strategy', 'canary', 'steps'], strategy.canary.steps);
  if (isMap(strategy.blueGreen))
    add(['strategy', 'blueGreen', 'prePromotion'], strategy.blueGreen.prePromotion);
  if (isMap(plan.rollback)) add(['rollback', 'steps'], plan.rollback.steps);
  return lists;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
