// Turns zod's issues into problems a person can act on: one per unknown key, the intended branch of a
// union rather than all of them, missing keys named with what they are for.

import type { z } from 'zod';
import type { JsonSchema } from './json-schema.js';
import { isMap, type Path, schemaAt, valueAt } from './schema-walk.js';
import { nearest } from './suggest.js';
import { unionProblems } from './union-issues.js';
import { describeValue, listWords } from './wording.js';

export type Target =
  | { kind: 'value' }
  | { kind: 'key' }
  /** A key that is absent: point at the map that should hold it. */
  | { kind: 'missing' }
  /** Characters inside a string, such as a rule's syntax error. */
  | { kind: 'text'; offset: number; length: number };

export interface Problem {
  path: PropertyKey[];
  message: string;
  target: Target;
  /** For an unknown key: the known key it is probably a typo of. */
  suggestion?: string;
}

export type Issue = z.core.$ZodIssue;

export function problemsFrom(issues: readonly Issue[], input: unknown, schema: JsonSchema): Problem[] {
  return withoutEchoes(issues.flatMap((issue) => problemsOf(issue, input, schema)));
}

/** `servce:` is one mistake, not two: drop "needs 'service'" when a sibling key is a typo of it. */
function withoutEchoes(problems: Problem[]): Problem[] {
  const typos = new Set(
    problems
      .filter((p) => p.suggestion)
      .map((p) => JSON.stringify([...p.path.slice(0, -1), p.suggestion].map(String))),
  );
  return problems.filter(
    (p) => p.target.kind !== 'missing' || !typos.has(JSON.stringify(p.path.map(String))),
  );
}

function problemsOf(issue: Issue, input: unknown, schema: JsonSchema): Problem[] {
  const path = issue.path;
  const value = valueAt(input, path);
  switch (issue.code) {
    case 'invalid_union':
      if (value === undefined && isMissingKey(input, path)) return [missingKey(path, input, schema)];
      return unionProblems(issue, input, schema, (inner) => problemsFrom(inner, input, schema));
    case 'unrecognized_keys':
      return issue.keys.map((key) => unknownKey(path, key, input, schema));
    case 'invalid_key':
      return [
        {
          path,
          message: `${issue.issues[0]?.message ?? issue.message}, got "${String(path.at(-1))}"`,
          target: { kind: 'key' },
        },
      ];
    case 'invalid_type':
      if (value === undefined && isMissingKey(input, path)) return [missingKey(path, input, schema)];
      return [{ path, message: issue.message, target: { kind: 'value' } }];
    case 'custom': {
      const params = issue.params as { ruleOffset?: number; ruleLength?: number } | undefined;
      if (params?.ruleOffset !== undefined) {
        const target: Target = { kind: 'text', offset: params.ruleOffset, length: params.ruleLength ?? 1 };
        return [{ path, message: issue.message, target }];
      }
      return [{ path, message: withValue(issue.message, path, value), target: { kind: 'value' } }];
    }
    default:
      return [{ path, message: withValue(issue.message, path, value), target: { kind: 'value' } }];
  }
}

/** Names the key and what was written when the message does not: "setWeight must be at most 100, got 150". */
function withValue(message: string, path: Path, value: unknown): string {
  const key = path.findLast((part) => typeof part === 'string');
  const subject = /^(must|needs) /.test(message)
    ? `${key === undefined ? 'the value' : key} ${message}`
    : message;
  if (typeof value === 'object' && value !== null) return subject;
  const written = describeValue(value);
  return /\bgot\b/.test(subject) || subject.includes(written) ? subject : `${subject}, got ${written}`;
}

function isMissingKey(input: unknown, path: Path): boolean {
  const parent = valueAt(input, path.slice(0, -1));
  const key = path.at(-1);
  return isMap(parent) && typeof key === 'string' && !Object.hasOwn(parent, key);
}

function missingKey(path: PropertyKey[], input: unknown, schema: JsonSchema): Problem {
  const key = String(path.at(-1));
  const where = path.length > 1 ? formatPath(path.slice(0, -1)) : 'the plan';
  const purpose = schemaAt(schema, path, input)?.description;
  const why = purpose ? ` (${purpose.charAt(0).toLowerCase()}${purpose.slice(1).replace(/\.$/, '')})` : '';
  return { path, message: `${where} needs '${key}'${why}`, target: { kind: 'missing' } };
}

function unknownKey(path: PropertyKey[], key: string, input: unknown, schema: JsonSchema): Problem {
  const known = Object.keys(schemaAt(schema, path, input)?.properties ?? {});
  const where = path.length === 0 ? 'unknown top-level key' : `unknown key '${key}' in ${formatPath(path)}`;
  const head = path.length === 0 ? `${where} '${key}'` : where;
  const suggestion = nearest(key, known);
  const advice = suggestion
    ? ` (did you mean '${suggestion}'?)`
    : known.length > 0
      ? `; use ${listWords(known)}`
      : '';
  return {
    path: [...path, key],
    message: `${head}${advice}`,
    target: { kind: 'key' },
    ...(suggestion ? { suggestion } : {}),
  };
}

/** `strategy.canary.steps[2]`, as the reader would navigate the YAML. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const text = String(key);
      if (!/^[A-Za-z_][\w-]*$/.test(text)) return `[${JSON.stringify(text)}]`;
      return index === 0 ? text : `.${text}`;
    })
    .join('');
}
