// `gantry replay PLAN --from T --to T --version V`: evaluates the plan's analysis and automatic rollback
// rules against Prometheus history and prints when the rollout would have warned, paused, rolled back or
// been promoted, with the same explanations as a deployment — to tune rules before they page anyone.

import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatCount } from '../analysis/quantities.js';
import { type ReplayReport, replay } from '../analysis/replay.js';
import type { DeploymentRuntime } from '../engine/runtime.js';
import { GantryError } from '../errors.js';
import { planMetricSources } from '../metrics/plan-sources.js';
import { formatDiagnostics } from '../plan/diagnostics.js';
import { loadPlanFile } from '../plan/load.js';
import type { Plan } from '../plan/schema/plan.js';
import { resolveSecrets } from '../secrets/resolve.js';
import { formatDuration, parseDuration } from '../units/duration.js';
import { outputOption } from './options.js';
import { formatOf, printJson, printLine } from './output.js';

const EXAMPLES = `
Examples:
  $ gantry replay plan.yaml --version v3 --previous v2 --from 2026-03-01T12:00:00Z --to 2026-03-01T12:30:00Z
  $ gantry replay plan.yaml --version v3 --previous v2 --from -2h --to -1h --every 10s -o json

Times are ISO 8601, or "-DURATION" before now. Every metric the rules use must be declared under
analysis.prometheus.metrics: replay reads Prometheus history.`;

interface ReplayFlags {
  from: string;
  to: string;
  version: string;
  previous?: string;
  every?: string;
  output: string;
}

export function registerReplay(program: Command): void {
  const command = program
    .command('replay')
    .description(
      "Evaluate a plan's analysis and rollback rules against Prometheus history; nothing is deployed",
    )
    .argument('<plan>', 'plan file (YAML)')
    .requiredOption('--from <time>', 'when the new version took traffic (ISO time, or -2h)')
    .requiredOption('--to <time>', 'end of the period (ISO time, or -1h, or now)')
    .requiredOption('--version <version>', 'the version judged as the canary')
    .option('--previous <version>', 'the version judged as stable')
    .option('--every <duration>', 'time between evaluations (default: analysis.interval)')
    .addHelpText('after', EXAMPLES);
  outputOption(command).action(async (file: string, flags: ReplayFlags) => {
    const plan = await loadOrThrow(file);
    const fromMs = timeOf(flags.from, '--from');
    const toMs = timeOf(flags.to, '--to');
    if (toMs <= fromMs)
      throw new GantryError('GANTRY_USAGE', `--to (${iso(toMs)}) must be after --from (${iso(fromMs)})`);
    const everyMs = flags.every ? durationOf(flags.every) : plan.analysis.interval;
    const runtime = replayRuntime(plan, file, flags);
    const sources = planMetricSources(runtime, undefined);
    const rules = [...plan.analysis.rules, ...plan.rollback.automatic];
    const fromProxy = rules.find((rule) => sources.sourceFor(rule.metric.metric) === undefined);
    if (fromProxy) {
      throw new GantryError(
        'GANTRY_USAGE',
        `replay reads Prometheus history, but "${fromProxy.text}" uses ${fromProxy.metric.metric}, which comes from gantry-proxy's statistics`,
        {
          hint: `declare ${fromProxy.metric.metric} under analysis.prometheus.metrics with a PromQL query`,
        },
      );
    }
    const report = await replay({
      analysisRules: plan.analysis.rules,
      automaticRules: plan.rollback.automatic,
      sources,
      versions: { canary: flags.version, stable: flags.previous ?? null },
      fromMs,
      toMs,
      everyMs,
      consecutiveErrorLimit: plan.analysis.consecutiveErrorLimit,
    });
    if (formatOf(flags) === 'json')
      return printJson({ ...report, at: iso(report.atMs), from: iso(fromMs), to: iso(toMs) });
    printLine(
      `replaying ${plan.service} ${flags.version}${flags.previous ? ` against ${flags.previous}` : ''} from ${iso(fromMs)} to ${iso(toMs)}, every ${formatDuration(everyMs)}`,
    );
    for (const d of report.decisions) {
      printLine(
        `${clock(d.atMs)}  ${d.tier.padEnd(12)} ${d.rule ? `${d.rule} (${d.section}): ` : ''}${d.explanation}`,
      );
    }
    printLine(summary(report, fromMs));
  });
}

function summary(report: ReplayReport, fromMs: number): string {
  const after = `${formatDuration(report.atMs - fromMs)} after --from`;
  const rule = report.decisions.at(-1)?.rule;
  const evaluated = `${formatCount(report.evaluations)} rule evaluations`;
  switch (report.outcome) {
    case 'rollback':
      return `→ would have rolled back at ${clock(report.atMs)} UTC (${after}): rule "${rule}" (${evaluated})`;
    case 'pause':
      return `→ would have paused for a person at ${clock(report.atMs)} UTC (${after}): rule "${rule}" (${evaluated})`;
    case 'promote':
      return `→ would have promoted: every analysis rule passed and no automatic rule fired (${evaluated})`;
    case 'inconclusive':
      return `→ inconclusive at ${clock(report.atMs)} UTC: a person would have decided (${evaluated})`;
  }
}

async function loadOrThrow(file: string): Promise<Plan> {
  const loaded = await loadPlanFile(file);
  if (loaded.ok) return loaded.plan;
  throw new GantryError(
    'GANTRY_PLAN_INVALID',
    `${file} is not a valid plan:\n\n${formatDiagnostics(loaded.diagnostics, loaded.source)}`,
    {
      hint: `fix it and check with \`gantry validate ${file}\``,
    },
  );
}

/** The pieces of a deployment runtime the metric sources read: the plan, who is deployed, secrets. */
function replayRuntime(
  plan: Plan,
  file: string,
  flags: ReplayFlags,
): Pick<DeploymentRuntime, 'plan' | 'info' | 'template'> {
  const secrets = resolveSecrets(plan.secrets, process.env, dirname(resolve(file)));
  const info = {
    id: 'replay',
    service: plan.service,
    environment: plan.environment,
    version: flags.version,
    previousVersion: flags.previous ?? null,
    requestedBy: 'replay',
  };
  return { plan, info, template: { variables: {}, secrets } };
}

function timeOf(text: string, flag: string): number {
  if (text === 'now') return Date.now();
  if (text.startsWith('-')) return Date.now() - durationOf(text.slice(1), flag);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new GantryError('GANTRY_USAGE', `${flag} ${text} is not a time`, {
      hint: 'write an ISO time such as 2026-03-01T12:00:00Z, "-2h" for two hours ago, or "now"',
    });
  }
  return ms;
}

function durationOf(text: string, flag = '--every'): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new GantryError('GANTRY_USAGE', `${flag}: ${text} is not a duration such as 5s or 2h`);
  return ms;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
