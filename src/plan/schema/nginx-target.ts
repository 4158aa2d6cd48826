// The `nginx` target: Gantry writes an nginx config fragment (an upstream per slot, split_clients weights, a
// header-routed canary, the maintenance page), checks it with `nginx -t` and reloads nginx. Versions run in
// the slots' servers, put there by the plan's `start` command or by whatever deploys them.

import { z } from 'zod';
import { duration, name, template } from './common.js';
import { healthCheck } from './health-check.js';

const server = z
  .string()
  .regex(/^(unix:\/\S+|[A-Za-z0-9.-]+:\d+|\[[0-9A-Fa-f:]+\]:\d+)$/, 'expected host:port or unix:/path')
  .meta({ description: 'An upstream server: host:port or unix:/path.' });

export const nginxSlot = z.strictObject({
  servers: z.array(server).min(1).meta({ description: "The servers of this slot's version." }),
});

export const nginxTarget = z.strictObject({
  listen: z
    .string()
    .regex(/^([^\s:]+:|\[[0-9A-Fa-f:]+\]:)?\d+$/, 'expected a port or host:port, such as 127.0.0.1:8080')
    .meta({ description: 'Where nginx serves users: the `listen` of the rendered server block.' }),
  serverName: z.string().optional().meta({ description: 'The `server_name` of the rendered server block.' }),
  slots: z
    .record(name, nginxSlot)
    .refine((slots) => Object.keys(slots).length >= 1 && Object.keys(slots).length <= 2, {
      message: 'declare one slot (recreate only) or two, such as blue and green',
    })
    .meta({
      description:
        'Where versions run: each slot a list of servers (blue: [10.0.0.1:3000], green: [10.0.0.2:3000]). A new version takes the slot the running one does not hold.',
    }),
  start: template.optional().meta({
    description:
      "Puts a version into its slot and returns when it runs (`systemctl restart api@${color}`); `${version}`, `${color}`. Without it, the slot's servers must already run it. Gantry then waits until every server passes `health`.",
  }),
  stop: template.optional().meta({
    description: "Stops a slot's version after it left the traffic (`systemctl stop api@${color}`).",
  }),
  drain: duration.prefault('1s').meta({
    description:
      "How long a version keeps running after it left nginx's configuration, before `stop`: requests that old nginx workers still hold finish instead of failing with 502.",
  }),
  health: healthCheck.prefault({}).meta({ description: "How Gantry decides a slot's servers are ready." }),
  config: z.string().min(1).meta({
    description:
      "The file Gantry writes, included from nginx's http block (`include /etc/nginx/conf.d/gantry-api.conf;`); relative to the plan file's folder.",
  }),
  test: template
    .default('nginx -t')
    .meta({ description: 'Checks the configuration; a failure restores the previous file.' }),
  reload: template
    .default('nginx -s reload')
    .meta({ description: 'Makes nginx load the configuration (`sudo systemctl reload nginx`).' }),
  accessLog: z.string().optional().meta({
    description:
      "A JSON access log nginx writes for this service; Gantry reads it for error_rate, request_rate and latency metrics. Relative to the plan file's folder.",
  }),
  canaryHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'a header name: letters, digits and "-"')
    .default('X-Gantry-Canary')
    .meta({ description: 'The header that sends a request to the header-routed version.' }),
  keepalive: z
    .int()
    .min(0)
    .max(1024)
    .default(16)
    .meta({ description: 'Idle connections each nginx worker keeps open to each slot.' }),
  timeout: duration
    .prefault('2m')
    .meta({ description: 'start, stop, test and reload are killed after this.' }),
  reloadTimeout: duration
    .prefault('10s')
    .meta({ description: 'How long nginx may take to serve a new configuration after the reload.' }),
});

export type NginxTarget = z.output<typeof nginxTarget>;
