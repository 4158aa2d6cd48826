// Plain-words messages for zod's built-in checks, used as the per-parse error map. Messages a schema
// sets itself (durations, names, rules) take precedence over these.

import type { z } from 'zod';
import { didYouMean } from './suggest.js';
import { describeType, describeValue, listWords } from './wording.js';

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

export const planErrorMap: z.core.$ZodErrorMap = (issue) => messageFor(issue);

function messageFor(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${describeType(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map((value) => JSON.stringify(value));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      return `expected ${listWords(values)}, got ${describeValue(issue.input)}${hint}`;
    }
    case 'too_small':
      return sizeMessage('at least', 'more than', issue.minimum, issue.inclusive, issue.origin);
    case 'too_big':
      return sizeMessage('at most', 'less than', issue.maximum, issue.inclusive, issue.origin);
    case 'invalid_format':
      if (issue.format === 'starts_with') return `must start with "${(issue as { prefix?: string }).prefix}"`;
      return issue.pattern ? `must match the pattern ${issue.pattern}` : `must be a valid ${issue.format}`;
    default:
      return undefined;
  }
}

function sizeMessage(
  bound: string,
  strictBound: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
  origin: string,
): string {
  const words = inclusive === false ? strictBound : bound;
  if (origin === 'array' || origin === 'set')
    return `needs ${words} ${limit} item${Number(limit) === 1 ? '' : 's'}`;
  if (origin === 'string') {
    return Number(limit) === 1 && bound === 'at least'
      ? 'must not be empty'
      : `must be ${words} ${limit} characters`;
  }
  return `must be ${words} ${limit}`;
}
