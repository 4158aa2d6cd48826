// Writes a parsed rule back in canonical form, the way explanations and `gantry plan` show it.
// Parsing the output gives the same rule (apart from `text`).

import { formatDuration } from '../units/duration.js';
import type { MetricRef, Rule, RuleWindow, Threshold } from './rule.js';
import { formatQuantity } from './rule-units.js';

export function formatRule(rule: Rule): string {
  // The role is spelled out when two versions are compared, or when it is not the default.
  const comparing = rule.threshold.kind === 'metric';
  const left = formatRef(rule.metric, comparing || rule.metric.role !== 'canary');
  const window = formatWindow(rule.window);
  return `${left} ${rule.operator} ${formatThreshold(rule.threshold)}${window ? ` ${window}` : ''}: ${rule.tier}`;
}

function formatRef(ref: MetricRef, withRole: boolean): string {
  return withRole ? `${ref.metric}(${ref.role})` : ref.metric;
}

function formatThreshold(threshold: Threshold): string {
  if (threshold.kind === 'quantity') return formatQuantity(threshold.quantity);
  const scale = threshold.scale === 1 ? '' : `${threshold.scale} × `;
  const { offset } = threshold;
  if (offset === null || offset.value === 0) return `${scale}${formatRef(threshold.ref, true)}`;
  const sign = offset.value < 0 ? '-' : '+';
  return `${scale}${formatRef(threshold.ref, true)} ${sign} ${formatQuantity({ ...offset, value: Math.abs(offset.value) })}`;
}

function formatWindow(window: RuleWindow): string {
  switch (window.kind) {
    case 'instant':
      return '';
    case 'duration':
      return `for ${formatDuration(window.ms)}`;
    case 'requests':
    case 'samples':
      return `for ${window.count} ${window.count === 1 ? window.kind.slice(0, -1) : window.kind}`;
  }
}
