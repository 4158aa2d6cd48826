// Finds the part of the plan's JSON Schema that describes a path in a plan, choosing among union branches
// by what the person wrote. Diagnostics use it for known keys ("did you mean") and for union errors.

import type { JsonSchema } from './json-schema.js';

export type Path = readonly PropertyKey[];

export type BranchChoice =
  | { kind: 'branch'; index: number }
  /** A map with none of the keys that tell the branches apart. */
  | { kind: 'none'; keys: string[] }
  /** A map with the telling keys of several branches at once. */
  | { kind: 'many'; keys: string[] }
  /** The value's type fits no branch. */
  | { kind: 'type'; expected: string[] }
  | { kind: 'unknown' };

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` inside `root`, or undefined. */
export function valueAt(root: unknown, path: Path): unknown {
  let value = root;
  for (const key of path) {
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    else if (isMap(value) && typeof key === 'string' && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

/** The schema for `path`, or undefined when a union along the way cannot be decided. */
export function schemaAt(root: JsonSchema, path: Path, value: unknown): JsonSchema | undefined {
  const raw = rawSchemaAt(root, path, value);
  return raw && resolve(root, raw, valueAt(value, path));
}

/** The schema for `path` as written, without choosing among its own union branches. */
export function rawSchemaAt(root: JsonSchema, path: Path, value: unknown): JsonSchema | undefined {
  let schema: JsonSchema | undefined = root;
  for (let depth = 0; depth < path.length && schema; depth++) {
    const parent = resolve(root, schema, valueAt(value, path.slice(0, depth)));
    schema = parent && childSchema(parent, path[depth]);
  }
  return schema && (schema.$ref ? followRef(root, schema.$ref) : schema);
}

function childSchema(schema: JsonSchema, key: PropertyKey | undefined): JsonSchema | undefined {
  if (typeof key === 'number') return schema.items;
  if (typeof key !== 'string') return undefined;
  if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/** Follows $ref and picks the union branch that fits `value`. */
function resolve(root: JsonSchema, schema: JsonSchema, value: unknown): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; hops < 20; hops++) {
    if (current.$ref) current = followRef(root, current.$ref) ?? {};
    const branches = current.anyOf ?? current.oneOf;
    if (!branches) return current;
    const choice = chooseBranch(branches, value);
    if (choice.kind !== 'branch') return undefined;
    current = branches[choice.index] as JsonSchema;
  }
  return current;
}

function followRef(root: JsonSchema, ref: string): JsonSchema | undefined {
  let target: unknown = root;
  for (const part of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    target = isMap(target) ? target[part.replaceAll('~1', '/').replaceAll('~0', '~')] : undefined;
  }
  return isMap(target) ? (target as JsonSchema) : undefined;
}

/** Which union branch a value was meant for: by its type, then for maps by the keys only one branch requires. */
export function chooseBranch(branches: readonly JsonSchema[], value: unknown): BranchChoice {
  const byType = branches.flatMap((branch, index) => (fitsType(branch, value) ? [index] : []));
  if (byType.length === 1) return { kind: 'branch', index: byType[0] as number };
  if (byType.length === 0) return { kind: 'type', expected: branches.flatMap(typesOf) };
  if (!isMap(value)) return { kind: 'unknown' };
  const telling = tellingKeys(byType.map((index) => branches[index] as JsonSchema));
  const present = byType.filter((_, i) => (telling[i] as string[]).some((key) => Object.hasOwn(value, key)));
  if (present.length === 1) return { kind: 'branch', index: present[0] as number };
  const keys = telling.flat();
  // A map without any telling key goes to the one branch that needs none (a free-form map), if any.
  const freeForm = byType.filter((_, i) => (telling[i] as string[]).length === 0);
  if (present.length === 0 && freeForm.length === 1) return { kind: 'branch', index: freeForm[0] as number };
  if (present.length === 0) return keys.length > 0 ? { kind: 'none', keys } : { kind: 'unknown' };
  return { kind: 'many', keys: keys.filter((key) => Object.hasOwn(value, key)) };
}

/** For each branch, the required keys that not every branch requires (a step's `run`, `http`, …). */
export function tellingKeys(branches: readonly JsonSchema[]): string[][] {
  const required = branches.map((branch) => branch.required ?? []);
  return required.map((keys) => keys.filter((key) => !required.every((others) => others.includes(key))));
}

function typesOf(schema: JsonSchema): string[] {
  if (schema.type === undefined) return schema.const !== undefined ? [typeof schema.const] : [];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function fitsType(schema: JsonSchema, value: unknown): boolean {
  const types = typesOf(schema);
  if (types.length === 0) return true;
  return types.some((type) => {
    switch (type) {
      case 'object':
        return isMap(value);
      case 'array':
        return Array.isArray(value);
      case 'integer':
        return Number.isInteger(value);
      case 'null':
        return value === null;
      default:
        return typeof value === type;
    }
  });
}
