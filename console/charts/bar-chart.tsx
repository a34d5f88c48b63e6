import type { ChartSeries } from './palette';
import { COLOURS } from './palette';
import { fitLabel, stack } from './scale';

const ROW = 48;
const BAR = 20;
/** Room after the longest bar for its total. */
const TOTAL_ROOM = 56;
/** A segment narrower than this shows its figure only in the table and the tooltip (one series: the total says it). */
const LABEL_MIN = 30;

/**
 * Horizontal stacked bars, one per row, each under its label (long field names keep the whole
 * width, also on a phone), with the row's total after the bar. Null when every value is 0.
 */
export function barChart({
  id,
  title,
  rows,
  series,
  width = 640,
}: {
  id: string;
  title: string;
  rows: { label: string; values: number[] }[];
  series: ChartSeries[];
  width?: number;
}) {
  const layout = stack(
    rows.map((r) => r.values),
    rows.length * ROW,
    width - TOTAL_ROOM,
    0,
  );
  if (!layout) return null;
  const height = rows.length * ROW + 4;
  return (
    <svg class="chart-svg" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title`} focusable="false">
      <title id={`${id}-title`}>{title}</title>
      {layout.stacks.map((s, i) => {
        const top = i * ROW;
        const barY = top + 22;
        const end = s.segments.reduce((x, seg) => Math.max(x, seg.start + seg.length), 0);
        return (
          <g>
            <text x={0} y={top + 15}>
              {fitLabel(rows[i]?.label ?? '', width)}
            </text>
            {s.segments.map((seg) => (
              <>
                <rect x={seg.start} y={barY} width={seg.length} height={BAR} fill={series[seg.series]?.colour ?? COLOURS.ink} stroke="#fff" stroke-width={1}>
                  <title>{`${rows[i]?.label ?? ''} · ${series[seg.series]?.name ?? ''}: ${seg.value}`}</title>
                </rect>
                {series.length > 1 && seg.length >= LABEL_MIN ? (
                  <text x={seg.start + seg.length / 2} y={barY + 15} text-anchor="middle" class="on-bar">
                    {seg.value}
                  </text>
                ) : null}
              </>
            ))}
            <text x={end + 6} y={barY + 15} class="total">
              {s.total}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
