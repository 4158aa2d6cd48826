// Problems of a union (a step, a strategy, a channel…): zod reports why every branch failed; a person
// wants the branch they meant, chosen by the value's type and by the keys that tell branches apart.

import type { Issue, Problem } from './issues.js';
import type { JsonSchema } from './json-schema.js';
import { chooseBranch, isMap, rawSchemaAt, tellingKeys, valueAt } from './schema-walk.js';
import { nearest } from './suggest.js';
import { describeType, describeValue, listWords } from './wording.js';

type UnionIssue = Extract<Issue, { code: 'invalid_union' }>;

/** A union reports every branch's failure; report only the branch the person meant. */
export function unionProblems(
  issue: UnionIssue,
  input: unknown,
  schema: JsonSchema,
  problemsOf: (issues: Issue[]) => Problem[],
): Problem[] {
  const path = issue.path;
  const value = valueAt(input, path);
  const union = rawSchemaAt(schema, path, input);
  const branches = union?.anyOf ?? union?.oneOf ?? [];
  const choice =
    branches.length === issue.errors.length ? chooseBranch(branches, value) : { kind: 'unknown' as const };
  const noun = union?.title;
  switch (choice.kind) {
    case 'branch':
      return problemsOf(branchIssues(issue, choice.index));
    case 'none':
      return [needsOneOf(path, choice.keys, value, noun)];
    case 'many': {
      const kinds = listWords([...new Set(tellingKeys(branches).flat())]);
      const message = `${article(noun)} has exactly one of ${kinds}; this one has ${listWords(choice.keys, 'and')}: split it into separate ${noun ?? 'item'}s`;
      return [{ path: [...path, choice.keys[1] ?? ''], message, target: { kind: 'key' } }];
    }
    case 'type': {
      const expected = [...new Set(choice.expected.map(describeType))];
      return [
        {
          path,
          message: `expected ${listWords(expected)}, got ${describeValue(value)}`,
          target: { kind: 'value' },
        },
      ];
    }
    case 'unknown':
      return problemsOf(branchIssues(issue, likeliestBranch(issue.errors)));
  }
}

/** A branch's issues, with paths made absolute. */
function branchIssues(issue: UnionIssue, index: number): Issue[] {
  return (issue.errors[index] ?? []).map((sub) => ({ ...sub, path: [...issue.path, ...sub.path] }) as Issue);
}

function needsOneOf(path: PropertyKey[], keys: string[], value: unknown, noun: string | undefined): Problem {
  const base = `${article(noun)} needs one of ${listWords(keys)}`;
  const written = isMap(value) ? Object.keys(value).filter((key) => !keys.includes(key)) : [];
  for (const key of written) {
    const suggestion = nearest(key, keys);
    if (suggestion)
      return {
        path: [...path, key],
        message: `${base} (did you mean '${suggestion}'?)`,
        target: { kind: 'key' },
      };
  }
  return { path, message: base, target: { kind: 'value' } };
}

/** Without a telling key, the branch whose problems lie deepest got furthest; fewer problems break ties. */
function likeliestBranch(errors: readonly (readonly Issue[])[]): number {
  const score = (issues: readonly Issue[]) =>
    Math.max(0, ...issues.map((issue) => issue.path.length)) * 100 - issues.length;
  return errors.reduce(
    (best, issues, index) => (score(issues) > score(errors[best] ?? []) ? index : best),
    0,
  );
}

function article(noun: string | undefined): string {
  if (!noun) return 'this map';
  return /^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}
