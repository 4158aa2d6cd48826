// How a data plane decides an instance (a gantry-proxy instance, an nginx slot's server) is ready.

import { z } from 'zod';
import { duration } from './common.js';

export const healthCheck = z.strictObject({
  path: z.string().startsWith('/').default('/health').meta({ description: 'Requested on each instance.' }),
  expect: z
    .strictObject({
      status: z.int().min(100).max(599).default(200).meta({ description: 'The healthy status code.' }),
    })
    .prefault({})
    .meta({ description: 'What a healthy response looks like.' }),
  interval: duration.prefault('1s').meta({ description: 'Time between health checks.' }),
  timeout: duration.prefault('2s').meta({ description: 'A check slower than this fails.' }),
  startupTimeout: duration
    .prefault('30s')
    .meta({ description: 'How long a new instance may take to become healthy.' }),
});

export type HealthCheck = z.output<typeof healthCheck>;
