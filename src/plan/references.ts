// Names used inside a plan that must exist elsewhere in it: `${secrets.NAME}` declared under `secrets:`,
// `${variable}` one of the plan variables, channels of notify steps, backups of restore steps.
// Works on the YAML document, so these are reported even when the schema found other problems.

import { type Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import { stepLists } from './backup-checks.js';
import type { Problem } from './issues.js';
import { TEMPLATE_VARIABLES } from './schema/common.js';
import { isMap as isPlainMap, valueAt } from './schema-walk.js';
import { nearest } from './suggest.js';
import { type VariableScope, variablesAt } from './target-variables.js';
import { listWords } from './wording.js';

// The same placeholder shape the renderer (template.ts) substitutes at run time.
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

interface Declared {
  /** The whole plan as plain data, to read steps from. */
  input: unknown;
  secrets: string[];
  channels: string[];
  backups: string[];
}

export function referenceProblems(doc: Document, input: unknown): Problem[] {
  const declared: Declared = {
    input,
    secrets: keysOf(valueAt(input, ['secrets'])),
    channels: keysOf(valueAt(input, ['notify', 'channels'])),
    backups: [...backupNames(valueAt(input, ['backup'])), ...backupStepNames(input)],
  };
  const problems: Problem[] = [];
  walk(doc.contents as Node | null, [], declared, problems);
  return problems;
}

function walk(
  node: Node | null | undefined,
  path: PropertyKey[],
  declared: Declared,
  problems: Problem[],
): void {
  if (isScalar(node) && typeof node.value === 'string') {
    problems.push(...placeholderProblems(node.value, path, declared));
  } else if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      walk(pair.value as Node | null, [...path, key], declared, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => {
      const itemPath = [...path, index];
      if (isMap(item)) problems.push(...stepProblems(valueAt(declared.input, itemPath), itemPath, declared));
      walk(item as Node, itemPath, declared, problems);
    });
  }
}

function placeholderProblems(text: string, path: PropertyKey[], declared: Declared): Problem[] {
  const problems: Problem[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    const target = { kind: 'text' as const, offset: match.index, length: match[0].length };
    const message = name.startsWith('secrets.')
      ? secretMessage(name.slice('secrets.'.length), declared.secrets)
      : variableMessage(name, variablesAt(declared.input, path));
    if (message) problems.push({ path, message, target });
  }
  return problems;
}

function secretMessage(name: string, secrets: string[]): string | undefined {
  if (secrets.includes(name)) return undefined;
  const suggestion = nearest(name, secrets);
  const fix = suggestion
    ? `did you mean '${suggestion}'?`
    : `declare it: secrets: { ${name}: { env: ${name} } }`;
  return `secret '${name}' is not declared under secrets; ${fix}`;
}

function variableMessage(name: string, scope?: VariableScope): string | undefined {
  // Data-plane commands have variables of their own (a slot's color, the weights): see target-variables.ts.
  const variables: readonly string[] = scope?.names ?? TEMPLATE_VARIABLES;
  if (variables.includes(name)) return undefined;
  const reason = scope?.explain(name);
  if (reason) return `'\${${name}}' is not available here: ${reason}`;
  const suggestion = nearest(name, [...variables, 'secrets']);
  const advice = suggestion
    ? `did you mean '\${${suggestion === 'secrets' ? `secrets.${name.split('.').pop()}` : suggestion}}'?`
    : `use ${listWords(variables.map((v) => `\${${v}}`))} or \${secrets.NAME}; a shell variable is written $${name}`;
  return `unknown variable '\${${name}}'; ${advice}`;
}

/** A notify step names declared channels; a restore step names a declared backup. */
function stepProblems(step: unknown, path: PropertyKey[], declared: Declared): Problem[] {
  if (!isPlainMap(step)) return [];
  const restored = restoredBackup(step.restore, [...path, 'restore']);
  if (restored && !declared.backups.includes(restored.name)) {
    return [
      missingName(
        `no backup named "${restored.name}" in the backup section or a backup step`,
        restored.name,
        declared.backups,
        restored.path,
      ),
    ];
  }
  if (!('notify' in step)) return [];
  const spec = step.notify;
  if (typeof spec === 'string') return channelProblems([spec], [...path, 'notify'], declared);
  const channels = isPlainMap(spec) ? spec.channels : undefined;
  if (typeof channels === 'string')
    return channelProblems([channels], [...path, 'notify', 'channels'], declared);
  if (!Array.isArray(channels)) return [];
  return channels.flatMap((name, index) =>
    channelProblems([name], [...path, 'notify', 'channels', index], declared),
  );
}

function channelProblems(names: unknown[], path: PropertyKey[], declared: Declared): Problem[] {
  return names
    .filter((name): name is string => typeof name === 'string' && !declared.channels.includes(name))
    .map((name) =>
      missingName(`no channel named "${name}" under notify.channels`, name, declared.channels, path),
    );
}

function missingName(message: string, name: string, known: string[], path: PropertyKey[]): Problem {
  const suggestion = nearest(name, known);
  const advice = suggestion
    ? ` (did you mean '${suggestion}'?)`
    : known.length
      ? `; declared: ${listWords(known, 'and')}`
      : '';
  return { path, message: `${message}${advice}`, target: { kind: 'value' } };
}

function keysOf(value: unknown): string[] {
  return isPlainMap(value) ? Object.keys(value) : [];
}

function backupNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => (isPlainMap(item) && typeof item.name === 'string' ? [item.name] : []));
}

/** The backup a restore step names: `restore: NAME` or `restore: { backup: NAME }`. */
function restoredBackup(
  spec: unknown,
  path: PropertyKey[],
): { name: string; path: PropertyKey[] } | undefined {
  if (typeof spec === 'string') return { name: spec, path };
  if (isPlainMap(spec) && typeof spec.backup === 'string')
    return { name: spec.backup, path: [...path, 'backup'] };
  return undefined;
}

/** Names of backups taken by `backup` steps, in any step list. */
function backupStepNames(input: unknown): string[] {
  if (!isPlainMap(input)) return [];
  return stepLists(input).flatMap(({ steps }) =>
    steps.flatMap((step) =>
      isPlainMap(step) && isPlainMap(step.backup) && typeof step.backup.name === 'string'
        ? [step.backup.name]
        : [],
    ),
  );
}
