// Renders `${version}`, `${deployment.id}` and `${secrets.NAME}` in plan strings at the moment a step runs.

import { GantryError } from '../errors.js';

export interface TemplateContext {
  variables: Readonly<Record<string, string | null>>;
  secrets: ReadonlyMap<string, string>;
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_.]*)\}/g;

export function renderTemplate(text: string, context: TemplateContext): string {
  return text.replace(PLACEHOLDER, (_whole, name: string) => {
    if (name.startsWith('secrets.')) {
      const value = context.secrets.get(name.slice('secrets.'.length));
      if (value === undefined) {
        throw new GantryError('GANTRY_SECRET_MISSING', `secret ${name.slice(8)} is not available`, {
          hint: 'declare it under `secrets:` and set its source before deploying',
        });
      }
      return value;
    }
    const value = context.variables[name];
    if (value === undefined) {
      throw new GantryError('GANTRY_PLAN_INVALID', `unknown variable \${${name}}`, {
        hint: 'run `gantry validate` on the plan',
      });
    }
    return value ?? '';
  });
}

/** Renders every string inside a JSON-like value. */
export function renderDeep<T>(value: T, context: TemplateContext): T {
  if (typeof value === 'string') return renderTemplate(value, context) as T;
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, context)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, context)])) as T;
  }
  return value;
}
