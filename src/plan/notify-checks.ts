// Plan-wide rules for notifications that no single key can check: escalation levels and reminders name
// declared channels, and reminders count down to a deployment window the plan must have. Reads the raw
// plan, so it runs even when other parts are invalid.

import { didYouMean } from './suggest.js';

type Path = (string | number)[];
type Issue = (path: Path, message: string) => void;

export function notifyChecks(plan: Record<string, unknown>, issue: Issue): void {
  const notify = isMap(plan.notify) ? plan.notify : {};
  const declared = Object.keys(isMap(notify.channels) ? notify.channels : {});
  const escalation = notify.escalation;
  const levels = isMap(escalation) ? escalation.levels : escalation;
  const levelsPath: Path = isMap(escalation) ? ['notify', 'escalation', 'levels'] : ['notify', 'escalation'];
  listOf(levels).forEach((level, index) => {
    if (isMap(level)) channelNames(level.channels, [...levelsPath, index, 'channels'], declared, issue);
  });
  const reminders = listOf(notify.reminders);
  reminders.forEach((reminder, index) => {
    if (isMap(reminder))
      channelNames(reminder.channels, ['notify', 'reminders', index, 'channels'], declared, issue);
  });
  if (reminders.length > 0 && !plan.window) {
    issue(
      ['notify', 'reminders'],
      'reminders count down to the deployment window: add a `window` (timezone and allowed ranges)',
    );
  }
}

function channelNames(names: unknown, path: Path, declared: string[], issue: Issue): void {
  listOf(names).forEach((channel, index) => {
    if (typeof channel === 'string' && !declared.includes(channel))
      issue(
        [...path, index],
        `no channel named "${channel}" under notify.channels${didYouMean(channel, declared)}`,
      );
  });
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
