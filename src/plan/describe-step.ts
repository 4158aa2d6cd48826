// One line per step for `gantry plan`, logs and the dashboard, when the plan gives no name.

import { formatDuration } from '../units/duration.js';

type Describe = (spec: Record<string, any>) => string;

const DESCRIBE: Record<string, Describe> = {
  window: (spec) => `wait for the deployment window (${spec.allow?.join(', ') || 'always'} ${spec.timezone})`,
  run: (spec) => `run \`${truncate(spec.run)}\``,
  http: (spec) =>
    `${spec.http.method} ${spec.http.url} expecting ${[spec.http.expect.status].flat().join('/')}`,
  wait: (spec) => `wait ${formatDuration(spec.wait)}`,
  pause: (spec) =>
    spec.pause.duration === undefined
      ? 'pause until promoted'
      : `pause ${formatDuration(spec.pause.duration)}`,
  checklist: (spec) => `checklist of ${spec.checklist.length} item${spec.checklist.length === 1 ? '' : 's'}`,
  approval: (spec) =>
    `approval by ${spec.approvals.map((a: { role: string; count: number }) => (a.count > 1 ? `${a.count}× ${a.role}` : a.role)).join(' and ')}`,
  notify: (spec) => `notify ${spec.notify.channels.join(', ')}`,
  setWeight: (spec) => `set traffic to ${spec.setWeight}% on the new version`,
  analysis: (spec) => `analyse for ${formatDuration(spec.analysis.duration)}`,
  monitor: (spec) =>
    `monitor every ${formatDuration(spec.monitor.every)} for ${formatDuration(spec.monitor.for)}`,
  startVersion: (spec) =>
    `start the new version with ${count(spec.startVersion.instances, 'instance')} (no traffic yet)`,
  headerRoute: (spec) =>
    spec.headerRoute
      ? 'route requests with X-Gantry-Canary: 1 to the new version'
      : 'stop routing by the X-Gantry-Canary header',
  maintenance: (spec) =>
    spec.maintenance.enabled
      ? 'turn maintenance mode on (users get the maintenance page)'
      : 'turn maintenance mode off (users reach the service)',
  scaleVersion: ({ scaleVersion: s }) =>
    s.version === 'new'
      ? `rolling: the new version up to ${s.instances} of ${s.of} instances, traffic in proportion`
      : s.instances === 0
        ? `rolling: stop the previous version (0 of ${s.of} instances left)`
        : `rolling: the previous version down to ${s.instances} of ${s.of} instances`,
  stopVersion: ({ stopVersion: s }) =>
    s.version === 'new'
      ? 'drain and stop the new version'
      : `stop the previous version${s.keepWarm ? ` (kept warm ${formatDuration(s.keepWarm)} after the switch)` : ''}`,
  restoreTraffic: (spec) =>
    `send all traffic back to the previous version (${count(spec.restoreTraffic.instances, 'instance')})`,
  backup: (spec) => {
    const item = spec.backup ?? spec;
    return `back up ${item.postgres ? 'Postgres' : 'files'} as "${item.name}"`;
  },
  restore: (spec) =>
    `restore backup "${spec.restore.backup}"${spec.restore.stopTraffic ? ' with traffic stopped' : ''}`,
  migrate: (spec) =>
    `migrate: \`${truncate(spec.migrate.up)}\`${spec.migrate.irreversible ? ' (irreversible)' : ''}`,
  migrateDown: (spec) => `undo migration ${spec.migration}`,
};

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function describeStep(kind: string, spec: unknown): string {
  const describe = DESCRIBE[kind];
  return describe ? describe(spec as Record<string, any>) : kind;
}

function truncate(text: string, max = 60): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max || text.includes('\n') ? `${line.slice(0, max - 1)}…` : line;
}
