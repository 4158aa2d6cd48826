// A uPlot chart in a React component: created once per set of series, fed new data in place, resized
// with its container, and given a draw hook for bands and markers behind or above the lines.

import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface TimeChartProps {
  /** x in seconds since the epoch, then one array per series. */
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  height?: number;
  yLabel?: string;
  yRange?: [number, number];
  /** Keep at least 0..yAtLeast in view (so a metric's bands show while its values stay low). */
  yAtLeast?: number;
  formatY?: (value: number) => string;
  /** Draws under the series (bands) and over them (markers). */
  drawBelow?: (u: uPlot) => void;
  drawAbove?: (u: uPlot) => void;
  testId?: string;
}

export function TimeChart(props: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot>(undefined);
  const latest = useRef(props);
  latest.current = props;
  const seriesKey = props.series.map((s) => s.label).join('|');

  // biome-ignore lint/correctness/useExhaustiveDependencies: rebuilt only when the series change; data goes through setData
  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const opts: uPlot.Options = {
      width: Math.max(200, target.clientWidth),
      height: props.height ?? 180,
      series: [{}, ...latest.current.series],
      scales: {
        x: { time: true },
        y: props.yRange
          ? { range: props.yRange }
          : {
              range: (_u, min, max) => {
                const high = Math.max(max ?? 0, latest.current.yAtLeast ?? 0);
                return [Math.min(0, min ?? 0), high > 0 ? high * 1.1 : 1];
              },
            },
      },
      axes: [
        {},
        {
          label: props.yLabel,
          size: 60,
          values: (_u, values) =>
            values.map((v) => (latest.current.formatY ? latest.current.formatY(v) : String(v))),
        },
      ],
      legend: { show: true },
      hooks: {
        drawClear: [(u) => latest.current.drawBelow?.(u)],
        draw: [(u) => latest.current.drawAbove?.(u)],
      },
    };
    const created = new uPlot(opts, latest.current.data, target);
    chart.current = created;
    const resize = new ResizeObserver(() => {
      created.setSize({ width: Math.max(200, target.clientWidth), height: props.height ?? 180 });
    });
    resize.observe(target);
    return () => {
      resize.disconnect();
      created.destroy();
      chart.current = undefined;
    };
    // The chart is rebuilt only when its series change; data updates go through setData below.
  }, [seriesKey, props.height, props.yLabel]);

  useEffect(() => {
    chart.current?.setData(props.data);
  }, [props.data]);

  return <div className="chart" ref={box} data-testid={props.testId} />;
}
