// One analysed metric over time against its warning and critical bands (from the plan's rules), with
// every decision about it marked: a vertical line in the decision's colour where it was made.

import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { MetricBand } from '../api.js';
import type { Decision, MetricSeries } from '../deployment/series.js';
import { TimeChart } from './time-chart.js';

export const TIER_COLOURS: Record<string, string> = {
  pass: '#2da44e',
  warn: '#d4a72c',
  pause: '#e16f24',
  rollback: '#cf222e',
  inconclusive: '#8c959f',
};
const ROLE_COLOURS = ['#1f6feb', '#8250df', '#57606a', '#0a7ea4'];

export function formatValue(unit: MetricBand['unit'] | undefined, value: number): string {
  if (unit === 'ratio') return `${+(value * 100).toPrecision(3)}%`;
  if (unit === 'ms')
    return value >= 1000 ? `${+(value / 1000).toPrecision(3)}s` : `${+value.toPrecision(3)}ms`;
  if (unit === 'bytes') return `${+(value / 1_048_576).toPrecision(3)}MiB`;
  return String(+value.toPrecision(4));
}

interface Props {
  series: MetricSeries;
  bands: MetricBand[];
  decisions: Decision[];
}

export function MetricChart({ series, bands, decisions }: Props) {
  const unit = bands[0]?.unit;
  const roles = [...series.roles.keys()];
  const data = useMemo<uPlot.AlignedData>(
    () => [series.times, ...[...series.roles.keys()].map((role) => series.roles.get(role) ?? [])],
    [series],
  );
  const warn = bands.filter((b) => b.tier === 'warn');
  const critical = bands.filter((b) => b.tier !== 'warn');
  const drawBands = (u: uPlot) => {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    ctx.save();
    const clamp = (y: number) => Math.max(top, Math.min(top + height, y));
    for (const band of [...warn, ...critical]) {
      const y = u.valToPos(band.value, 'y', true);
      if (!Number.isFinite(y)) continue;
      const above = band.operator.startsWith('>');
      const from = clamp(y);
      // A warning band ends where the critical band of the same direction begins.
      const next =
        band.tier === 'warn' ? critical.find((c) => c.operator[0] === band.operator[0]) : undefined;
      const to = next ? clamp(u.valToPos(next.value, 'y', true)) : above ? top : top + height;
      ctx.fillStyle = band.tier === 'warn' ? 'rgba(212,167,44,0.16)' : 'rgba(207,34,46,0.12)';
      ctx.fillRect(left, Math.min(from, to), width, Math.abs(to - from));
      ctx.strokeStyle = band.tier === 'warn' ? '#d4a72c' : '#cf222e';
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(left, from);
      ctx.lineTo(left + width, from);
      ctx.stroke();
    }
    ctx.restore();
  };
  const drawDecisions = (u: uPlot) => {
    const ctx = u.ctx;
    const { top, height } = u.bbox;
    ctx.save();
    ctx.lineWidth = 2;
    for (const decision of decisions) {
      if (decision.tier === 'pass') continue;
      const x = u.valToPos(decision.at, 'x', true);
      if (!Number.isFinite(x)) continue;
      ctx.strokeStyle = TIER_COLOURS[decision.tier] ?? '#57606a';
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
    ctx.restore();
  };
  // The y range always shows the bands, even while values stay far below them.
  const highest = Math.max(...bands.map((b) => b.value), 0);
  return (
    <figure className="metric" data-testid={`metric-${series.metric}`}>
      <figcaption>
        <strong>{series.metric}</strong>
        {bands.map((band) => (
          <span key={band.text} className={`band band-${band.tier === 'warn' ? 'warn' : 'critical'}`}>
            {band.text}
          </span>
        ))}
      </figcaption>
      <TimeChart
        data={data}
        formatY={(v) => formatValue(unit, v)}
        series={roles.map((role, i) => ({
          label: role,
          stroke: ROLE_COLOURS[i % ROLE_COLOURS.length],
          width: 1.5,
          spanGaps: true,
          value: (_u, v) => (v == null ? '–' : formatValue(unit, v)),
        }))}
        yAtLeast={highest}
        drawBelow={drawBands}
        drawAbove={drawDecisions}
        testId={`chart-${series.metric}`}
      />
    </figure>
  );
}
