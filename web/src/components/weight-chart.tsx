// Traffic on the new version over time, as the steps set it: a stepped line from 0 to 100%.

import { useMemo } from 'react';
import uPlot from 'uplot';
import type { WeightPoint } from '../deployment/series.js';
import { TimeChart } from './time-chart.js';

export function WeightChart({ points, now }: { points: WeightPoint[]; now: number }) {
  const data = useMemo<uPlot.AlignedData>(() => {
    if (points.length === 0) return [[], []];
    // Carry the last weight to now, so the line shows where traffic stands.
    const last = points[points.length - 1] as WeightPoint;
    const all = last.at < now ? [...points, { at: now, weightPct: last.weightPct }] : points;
    return [all.map((p) => p.at), all.map((p) => p.weightPct)];
  }, [points, now]);
  if (points.length === 0) return <p className="muted">No traffic has been shifted yet.</p>;
  return (
    <TimeChart
      testId="weight-chart"
      data={data}
      height={150}
      yRange={[0, 100]}
      yLabel="% on new version"
      formatY={(v) => `${v}%`}
      series={[
        {
          label: 'traffic on new version',
          stroke: '#1f6feb',
          fill: 'rgba(31,111,235,0.12)',
          width: 2,
          paths: uPlot.paths.stepped?.({ align: 1 }),
          value: (_u, v) => (v == null ? '–' : `${v}%`),
        },
      ]}
    />
  );
}
