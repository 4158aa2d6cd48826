// The run extensions every engine starts with each deployment, unless told otherwise.

import { escalationWatcher } from './escalation-watcher.js';
import type { RunExtensionFactory } from './extension.js';
import { reminderWatcher } from './reminder-watcher.js';
import { ruleWatcher } from './rule-watcher.js';

export const DEFAULT_EXTENSIONS: readonly RunExtensionFactory[] = [
  ruleWatcher,
  escalationWatcher,
  reminderWatcher,
];
