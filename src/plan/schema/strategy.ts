// Progressive strategies: sugar that expands to primitive steps (`gantry plan` shows the expansion).

import { z } from 'zod';
import { duration } from './common.js';
import { stepList } from './steps.js';

const keepPrevious = (byDefault: string, also: string) =>
  duration.prefault(byDefault).meta({
    description: `How long the previous version keeps running after the new one takes all traffic, so a rollback is an instant switch back. ${also}`,
  });

export const canaryStrategy = z.strictObject({
  steps: stepList.min(1).meta({
    description:
      'setWeight, analysis, pause, headerRoute and other steps, in order. The new version is started before them and gets 100% after them if the last setWeight is lower.',
  }),
  keepPrevious: keepPrevious('0s', 'It is stopped after the monitor stages in any case.'),
});

export const blueGreenStrategy = z.strictObject({
  previewListen: z.string().optional().meta({
    description:
      'host:port where the new version is previewed. Not available on the local target yet: reach the preview at `listen` with the header X-Gantry-Canary: 1.',
  }),
  prePromotion: stepList.prefault([]).meta({
    description:
      'Checks and analysis against the preview (requests with the header X-Gantry-Canary: 1), before the switch.',
  }),
  keepPrevious: keepPrevious('5m', 'It is stopped after the monitor stages, and not before this.'),
});

export const rollingStrategy = z.strictObject({
  batchSize: z.int().min(1).default(1).meta({ description: 'Instances replaced at a time.' }),
  minHealthy: z.int().min(0).optional().meta({
    description:
      "Never fewer healthy instances than this; default all of them (each batch's new instances start before old ones stop). Lower lets old instances stop first.",
  }),
  betweenBatches: stepList
    .prefault([])
    .meta({ description: 'Steps after each batch but the last, such as an analysis or a wait.' }),
});

export const recreateStrategy = z.strictObject({
  maintenance: z
    .boolean()
    .default(true)
    .meta({ description: 'Serve the maintenance page while replacing (and while rolling back).' }),
  whileStopped: stepList.prefault([]).meta({
    description:
      'Steps run once the previous version is stopped and before the new one starts, such as database migrations. Never skipped.',
  }),
  checks: stepList.prefault([]).meta({
    description:
      'Checks against the new version before users get it: during maintenance, send the header X-Gantry-Canary: 1 to pass the maintenance page.',
  }),
});

export const strategy = z
  .union([
    z.strictObject({
      canary: canaryStrategy.meta({
        description: 'Shift traffic step by step, judging the new version at each weight.',
      }),
    }),
    z.strictObject({
      blueGreen: blueGreenStrategy.meta({
        description: 'Start the new version beside the old, check it, switch all traffic.',
      }),
    }),
    z.strictObject({
      rolling: rollingStrategy.meta({ description: 'Replace instances a batch at a time.' }),
    }),
    z.strictObject({
      recreate: recreateStrategy.meta({ description: 'Stop the old version, then start the new one.' }),
    }),
  ])
  .meta({
    title: 'strategy',
    description: 'How traffic moves to the new version; expands to steps (see `gantry plan`).',
  });

export type Strategy = z.output<typeof strategy>;
export type CanaryStrategy = z.output<typeof canaryStrategy>;
export type BlueGreenStrategy = z.output<typeof blueGreenStrategy>;
export type RollingStrategy = z.output<typeof rollingStrategy>;
export type RecreateStrategy = z.output<typeof recreateStrategy>;
