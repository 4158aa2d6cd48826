// Deployment windows: recurring allowed ranges in a timezone, and freeze periods.

import { z } from 'zod';
import { parseWindowRange } from '../../window/range.js';
import { isValidTimezone } from '../../window/timezone.js';

const range = z.string().superRefine((text, ctx) => {
  const result = parseWindowRange(text);
  if (!result.ok) ctx.addIssue({ code: 'custom', message: result.message });
});

const dateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$/,
    'expected a date (2025-12-20) or date and time (2025-12-20 18:00)',
  );

export const freeze = z.strictObject({
  from: dateTime.meta({ description: 'First day (or moment) of the freeze.' }),
  to: dateTime.meta({ description: 'Last day of the freeze, included (or the moment it ends).' }),
  reason: z.string().optional().meta({ description: 'Told to whoever tries to deploy.' }),
});

export const window = z
  .strictObject({
    timezone: z
      .string()
      .default('UTC')
      .refine(isValidTimezone, { message: 'unknown timezone; use an IANA name such as America/New_York' })
      .meta({ description: 'IANA time zone the ranges and freezes are written in.' }),
    allow: z.array(range).default([]).meta({
      description: 'Allowed ranges such as "Mon-Fri 02:00-06:00" or "daily 22:00-02:00". Empty: always.',
    }),
    freeze: z
      .array(freeze)
      .default([])
      .meta({ description: 'Periods when nothing deploys, in the timezone.' }),
  })
  .meta({
    description: 'When deployments may run. Outside, a deployment waits and says when the window opens.',
  });

export type Window = z.output<typeof window>;
