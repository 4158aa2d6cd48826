// Renders one operation's template into the command to run, as data: `/bin/sh -c` with the variables
// substituted, and the same variables in the environment (GANTRY_WEIGHT_NEW…) for scripts that prefer them.

import { GantryError } from '../../errors.js';
import { FREE_TEXT_VARIABLES } from '../../plan/target-variables.js';
import { renderTemplate } from '../../plan/template.js';
import type { ShellCommand } from '../shell-command.js';
import type { Variables } from './variables.js';

export interface RenderRequest {
  /** Where the template is in the plan: "target.command.start". */
  source: string;
  template: string;
  variables: Variables;
  purpose: string;
}

export interface RenderSettings {
  secrets: ReadonlyMap<string, string>;
  /** The plan's extra environment (target.command.env), not yet rendered. */
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
}

/** What a version name, color or weight may hold to go into a shell command unquoted. */
const SHELL_SAFE = /^[A-Za-z0-9._:+@/=,-]*$/;

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

export function renderCommand(request: RenderRequest, settings: RenderSettings): ShellCommand {
  checkShellSafe(request);
  const context = { variables: request.variables, secrets: settings.secrets };
  const script = renderTemplate(request.template, context);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings.env)) env[name] = renderTemplate(value, context);
  for (const [name, value] of Object.entries(request.variables)) env[envName(name)] = value;
  return {
    purpose: request.purpose,
    source: request.source,
    argv: ['/bin/sh', '-c', script],
    env,
    cwd: settings.cwd,
    timeoutMs: settings.timeoutMs,
  };
}

/** `weight.new` → GANTRY_WEIGHT_NEW, `previousVersion` → GANTRY_PREVIOUS_VERSION. */
export function envName(variable: string): string {
  return `GANTRY_${variable
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/\./g, '_')
    .toUpperCase()}`;
}

/** A version named `v2;rm -rf /` must not reach a shell: values used in the template are checked. */
function checkShellSafe(request: RenderRequest): void {
  for (const match of request.template.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (name.startsWith('secrets.') || FREE_TEXT_VARIABLES.includes(name)) continue;
    const value = request.variables[name];
    if (value === undefined || SHELL_SAFE.test(value)) continue;
    throw new GantryError(
      'GANTRY_TARGET',
      `${request.source}: \${${name}} is ${JSON.stringify(value)}, which is not safe to put in a shell command`,
      {
        where: request.source,
        hint: 'name versions with letters, digits, ".", "_", "-" or "+" only',
      },
    );
  }
}
