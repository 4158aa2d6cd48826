// Value types shared by every part of the plan schema: durations, names, templated strings.

import { z } from 'zod';
import { parseDuration } from '../../units/duration.js';
import { describeValue } from '../wording.js';

const DURATION_EXAMPLES = 'expected a duration such as 500ms, 30s, 5m or 1h30m';

/** The grammar parseDuration reads, as a pattern, so editors check durations from the JSON Schema too. */
export const DURATION_PATTERN = /^(0|(\d+(\.\d+)?(ms|s|m|h|d))+)$/;

/** A duration written as "500ms", "30s", "5m", "1h30m"; parsed to milliseconds. */
export const duration = z
  .string({
    // YAML reads `wait: 30` as a number; say which unit is missing rather than "expected string".
    error: (issue) =>
      typeof issue.input === 'number'
        ? `${DURATION_EXAMPLES}, got ${issue.input}: add a unit, such as ${issue.input}s`
        : `${DURATION_EXAMPLES}, got ${describeValue(issue.input)}`,
  })
  .regex(DURATION_PATTERN, { error: (issue) => `${DURATION_EXAMPLES}, got ${describeValue(issue.input)}` })
  .transform((text) => parseDuration(text) as number)
  .meta({ description: 'A duration such as 500ms, 30s, 5m or 1h30m.', examples: ['30s', '5m'] });

/** A service, environment, channel or role name. */
export const name = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

/** Free text that may hold `${secrets.NAME}`, `${version}` and the other plan variables. */
export const template = z.string().min(1, 'must not be empty');

export const roleName = name.meta({ description: 'A role held by users (see `gantry user add`).' });

/** The variables a templated string may use besides `${secrets.NAME}`. */
export const TEMPLATE_VARIABLES = [
  'service',
  'environment',
  'version',
  'previousVersion',
  'deployment.id',
  'requestedBy',
] as const;
