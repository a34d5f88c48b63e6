import type { ChartSeries } from './palette';
import { COLOURS } from './palette';
import { labelStep, stack, ticks } from './scale';

const MARGIN = { left: 48, right: 8, top: 12, bottom: 30 };

/**
 * Stacked columns over categories (days, months, weekdays, hours), with a count axis. Renders
 * nothing (null) when every value is 0: the frame then says there are no figures.
 */
export function columnChart({
  id,
  title,
  labels,
  values,
  series,
  width = 720,
  height = 240,
  mostLabels = 12,
}: {
  id: string;
  title: string;
  /** One short label per category (printed under the columns, thinned out when many). */
  labels: string[];
  /** Per category, one value per series. */
  values: number[][];
  series: ChartSeries[];
  width?: number;
  height?: number;
  /** At most this many labels under the axis. */
  mostLabels?: number;
}) {
  const plot = { width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
  const layout = stack(values, plot.width, plot.height);
  if (!layout) return null;
  const baseline = MARGIN.top + plot.height;
  const step = labelStep(labels.length, mostLabels);
  return (
    <svg class="chart-svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} focusable="false">
      <title id={`${id}-title`}>{title}</title>
      {ticks(layout.top).map((v) => {
        const y = baseline - v * layout.scale;
        return (
          <>
            <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y} y2={y} stroke={COLOURS.grid} stroke-width={v === 0 ? 1.5 : 0.75} />
            <text x={MARGIN.left - 6} y={y + 4} text-anchor="end">
              {v}
            </text>
          </>
        );
      })}
      {layout.stacks.map((s, i) => (
        <g>
          {s.segments.map((seg) => (
            <rect
              x={MARGIN.left + s.offset}
              y={baseline - seg.start - seg.length}
              width={s.thickness}
              height={seg.length}
              fill={series[seg.series]?.colour ?? COLOURS.ink}
              stroke="#fff"
              stroke-width={0.5}
            >
              <title>{`${labels[i] ?? ''} · ${series[seg.series]?.name ?? ''}: ${seg.value}`}</title>
            </rect>
          ))}
          {i % step === 0 ? (
            <text x={MARGIN.left + s.offset + s.thickness / 2} y={height - 10} text-anchor="middle">
              {labels[i]}
            </text>
          ) : null}
        </g>
      ))}
    </svg>
  );
}
