// The `${…}` variables each data-plane command of a plan may use, besides `${secrets.NAME}`. Validation
// (references.ts) checks templates against these lists; the targets render exactly these names (a test
// in src/targets/command/ holds them to it).

import { COMMAND_OPERATIONS, type CommandOperation } from './schema/command-target.js';
import { isMap, valueAt } from './schema-walk.js';

/** Every command knows the deployment. In start and stop, `version` is the version started or stopped. */
export const DEPLOYMENT_VARIABLES = [
  'service',
  'environment',
  'version',
  'previousVersion',
  'deployment.id',
  'requestedBy',
] as const;

/** Slot variables exist only when versions run side by side (canary, blueGreen), not replaced in place. */
const SLOT_VARIABLES: Record<CommandOperation, readonly string[]> = {
  start: ['color'],
  stop: ['color'],
  setTraffic: ['new.color', 'old.color'],
  switch: ['to.color', 'from.color'],
  headerRoute: ['headerRoute.color'],
  maintenance: [],
  describe: [],
};

const OPERATION_VARIABLES: Record<CommandOperation, readonly string[]> = {
  start: ['instances'],
  stop: [],
  setTraffic: ['weight.new', 'weight.old', 'new.version', 'old.version'],
  switch: ['to.version', 'from.version'],
  headerRoute: ['headerRoute.enabled', 'headerRoute.version', 'canaryHeader'],
  maintenance: ['maintenance.enabled', 'maintenance.message', 'maintenance.retryAfter'],
  describe: [],
};

/** Values that may hold any text, so they are never checked for shell-safe characters. */
export const FREE_TEXT_VARIABLES: readonly string[] = ['requestedBy', 'maintenance.message'];

export interface VariableScope {
  names: readonly string[];
  /** Why a name is not available here although it exists elsewhere, when that is the case. */
  explain(name: string): string | undefined;
}

/** The variables of one operation of the command target. */
export function commandVariables(
  operation: CommandOperation,
  colors: readonly string[],
  sideBySide: boolean,
): string[] {
  const slots = sideBySide ? SLOT_VARIABLES[operation] : [];
  const weights = operation === 'setTraffic' && sideBySide ? colors.map((color) => `weight.${color}`) : [];
  return [...DEPLOYMENT_VARIABLES, ...OPERATION_VARIABLES[operation], ...slots, ...weights];
}

/** The variables of the nginx target's `start` and `stop`. */
export const NGINX_SLOT_VARIABLES = [...DEPLOYMENT_VARIABLES, 'color'] as const;

/** Variables of settings fixed for the service, such as file paths. */
export const SERVICE_VARIABLES = ['service', 'environment'] as const;

/** The scope of a templated string at `path` in a plan, when it differs from the plan-wide variables. */
export function variablesAt(input: unknown, path: readonly PropertyKey[]): VariableScope | undefined {
  if (path[0] !== 'target' || path.length < 3) return undefined;
  const kind = path[1];
  const key = String(path[2]);
  if (kind === 'command') return commandScope(input, key, path);
  if (kind !== 'nginx') return undefined;
  if (key === 'start' || key === 'stop') return plainScope(NGINX_SLOT_VARIABLES);
  if (['config', 'accessLog', 'test', 'reload'].includes(key)) return plainScope(SERVICE_VARIABLES);
  return undefined;
}

function commandScope(input: unknown, key: string, path: readonly PropertyKey[]): VariableScope | undefined {
  const colors = colorsOf(input);
  const sideBySide = runsSideBySide(input);
  if (key === 'env' || key === 'cwd') return plainScope(DEPLOYMENT_VARIABLES);
  const operation = COMMAND_OPERATIONS.find((name) => name === key);
  if (!operation || path.length !== 3) return undefined;
  const names = commandVariables(operation, colors, sideBySide);
  const everywhere = new Set(COMMAND_OPERATIONS.flatMap((other) => commandVariables(other, colors, true)));
  return {
    names,
    explain(name) {
      if (operation === 'switch' && (name.startsWith('new.') || name.startsWith('old.'))) {
        return `switch also runs when a rollback sends the traffic back, so it names the slot that gets the traffic: use \${to.${name.split('.')[1]}} (and \${from.…} for the one it leaves)`;
      }
      if ((operation === 'start' || operation === 'stop') && /^(new|old)\.(color|version)$/.test(name)) {
        const what = name.endsWith('color') ? 'color' : 'version';
        return `${operation} acts on one version, the new one or (on rollback and cleanup) the previous one: use \${${what}}, which is that version's`;
      }
      if (!sideBySide && everywhere.has(name) && /color$|^weight\.(?!new|old)/.test(name)) {
        return `${strategyName(input)} replaces the running version in place, so there are no slots: remove \${${name}}`;
      }
      if (everywhere.has(name)) {
        const owners = COMMAND_OPERATIONS.filter((other) =>
          commandVariables(other, colors, true).includes(name),
        );
        return `\${${name}} belongs to ${owners.join(' and ')}, not ${operation}`;
      }
      return undefined;
    },
  };
}

function plainScope(names: readonly string[]): VariableScope {
  return { names, explain: () => undefined };
}

function colorsOf(input: unknown): string[] {
  const colors = valueAt(input, ['target', 'command', 'colors']);
  return Array.isArray(colors) && colors.every((c) => typeof c === 'string') ? colors : ['blue', 'green'];
}

/** canary and blueGreen run the new version beside the previous one; rolling and recreate replace it. */
export function runsSideBySide(input: unknown): boolean {
  const strategy = valueAt(input, ['strategy']);
  return !isMap(strategy) || 'canary' in strategy || 'blueGreen' in strategy;
}

function strategyName(input: unknown): string {
  const strategy = valueAt(input, ['strategy']);
  return isMap(strategy) ? (Object.keys(strategy)[0] ?? 'this strategy') : 'this strategy';
}
