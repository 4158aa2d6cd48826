// `gantry check ID ITEM`: marks a checklist item done, by number (1-based) or by its text.

import { EVENT } from '../deployment/events.js';
import { isTerminal } from '../deployment/status.js';
import { GantryError } from '../errors.js';
import type { Journal } from '../journal/journal.js';
import type { PlannedStep } from '../plan/planned-step.js';
import { currentStep, type DeploymentView, expandedPlanOf, loadDeployment } from './inspect.js';

export async function checkItem(
  journal: Journal,
  id: string,
  itemRef: string,
  user: string,
): Promise<{ stepId: string; item: string; remaining: number }> {
  const view = await loadDeployment(journal, id);
  if (isTerminal(view.state.status))
    throw new GantryError('GANTRY_INVALID_STATE', `${id} has ended (${view.state.status})`);
  const step = checklistStepFor(view);
  const items = (step.spec as { checklist: string[] }).checklist;
  const itemIndex = findItem(items, itemRef);
  const done = view.state.checks.filter((check) => check.stepId === step.id);
  const already = done.find((check) => check.itemIndex === itemIndex);
  if (already) {
    throw new GantryError(
      'GANTRY_INVALID_STATE',
      `item ${itemIndex + 1} "${items[itemIndex]}" was already checked by ${already.by}`,
    );
  }
  const item = items[itemIndex] as string;
  await journal.append([
    {
      deploymentId: id,
      events: [{ type: EVENT.checklistChecked, data: { stepId: step.id, item, itemIndex }, actor: user }],
    },
  ]);
  return { stepId: step.id, item, remaining: items.length - done.length - 1 };
}

function checklistStepFor(view: DeploymentView): PlannedStep {
  const plan = expandedPlanOf(view);
  const current = currentStep(view, plan);
  if (current?.kind === 'checklist') return current;
  const upcoming = plan.main.find(
    (step) => step.kind === 'checklist' && view.state.steps[step.id]?.outcome === undefined,
  );
  if (upcoming && view.state.track === 'main') return upcoming;
  throw new GantryError('GANTRY_INVALID_STATE', `${view.record.id} has no checklist waiting`);
}

function findItem(items: string[], ref: string): number {
  const number = Number(ref);
  if (Number.isInteger(number) && number >= 1 && number <= items.length) return number - 1;
  const lower = ref.toLowerCase();
  const matches = items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => item.toLowerCase().includes(lower));
  if (matches.length === 1) return matches[0]?.index as number;
  const list = items.map((item, index) => `  ${index + 1}. ${item}`).join('\n');
  throw new GantryError(
    'GANTRY_USAGE',
    matches.length === 0 ? `no checklist item matches "${ref}"` : `"${ref}" matches ${matches.length} items`,
    {
      hint: `name the item by its number:\n${list}`,
    },
  );
}
