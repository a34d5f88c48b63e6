import { COLOURS } from './palette';
import { labelStep, linePoints } from './scale';

const MARGIN = { left: 48, right: 12, top: 12, bottom: 30 };

/**
 * A line over evenly spaced categories on a fixed scale (the 1-5 rating), broken where a value is
 * unknown. Null when no value is known.
 */
export function lineChart({
  id,
  title,
  labels,
  values,
  min,
  max,
  gridlines,
  colour = COLOURS.trend,
  width = 720,
  height = 220,
  mostLabels = 12,
}: {
  id: string;
  title: string;
  labels: string[];
  values: (number | null)[];
  min: number;
  max: number;
  gridlines: number[];
  colour?: string;
  width?: number;
  height?: number;
  mostLabels?: number;
}) {
  const plot = { width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
  const runs = linePoints(values, plot, min, max);
  if (!runs) return null;
  const y = (v: number) => MARGIN.top + plot.height - ((v - min) / (max - min)) * plot.height;
  const band = plot.width / Math.max(1, labels.length);
  const step = labelStep(labels.length, mostLabels);
  return (
    <svg class="chart-svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} focusable="false">
      <title id={`${id}-title`}>{title}</title>
      {gridlines.map((v) => (
        <>
          <line x1={MARGIN.left} x2={width - MARGIN.right} y1={y(v)} y2={y(v)} stroke={COLOURS.grid} stroke-width={v === min ? 1.5 : 0.75} />
          <text x={MARGIN.left - 6} y={y(v) + 4} text-anchor="end">
            {v}
          </text>
        </>
      ))}
      {runs.map((run) => (
        <>
          {run.length > 1 ? (
            <polyline
              points={run.map((p) => `${MARGIN.left + p.x},${MARGIN.top + p.y}`).join(' ')}
              fill="none"
              stroke={colour}
              stroke-width={2.5}
              stroke-linejoin="round"
            />
          ) : null}
          {run.map((p) => (
            <circle cx={MARGIN.left + p.x} cy={MARGIN.top + p.y} r={4} fill={colour}>
              <title>{`${labels[p.index] ?? ''}: ${p.value}`}</title>
            </circle>
          ))}
        </>
      ))}
      {labels.map((label, i) =>
        i % step === 0 ? (
          <text x={MARGIN.left + band * i + band / 2} y={height - 10} text-anchor="middle">
            {label}
          </text>
        ) : null,
      )}
    </svg>
  );
}
