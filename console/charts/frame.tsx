import type { Child, FC } from 'hono/jsx';
import type { ChartSeries } from './palette';

/** The colour key of a chart, as text beside small swatches (the swatches are decoration). */
export const Legend: FC<{ series: ChartSeries[] }> = ({ series }) => (
  <ul class="legend">
    {series.map((s) => (
      <li>
        <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">
          <rect width="14" height="14" fill={s.colour} />
        </svg>
        {s.name}
      </li>
    ))}
  </ul>
);

/**
 * One chart of the dashboard: its heading, the drawing (or a plain "no figures" line when there
 * is nothing to draw) at desktop and at phone width, its colour key, and its figures in a table right after it, for screen
 * readers and for anyone who wants the exact numbers (open in the print view).
 */
export const ChartFrame: FC<{
  id: string;
  heading: string;
  /** The drawing at desktop width and at phone width (each shown at its own size, so text stays readable), or null for no figures. */
  chart: (narrow: boolean) => Child | null;
  noData: string;
  legend?: ChartSeries[] | undefined;
  tableLabel: string;
  table: Child;
  open?: boolean | undefined;
  note?: string | undefined;
}> = (p) => {
  const wide = p.chart(false);
  return (
    <section class="chart" aria-labelledby={`${p.id}-heading`} id={p.id}>
      <h2 id={`${p.id}-heading`}>{p.heading}</h2>
      {p.note ? <p class="hint">{p.note}</p> : null}
      {wide ? (
        <>
          <div class="chart-area wide-only">{wide}</div>
          <div class="chart-area narrow-only">{p.chart(true)}</div>
          {p.legend ? <Legend series={p.legend} /> : null}
        </>
      ) : (
        <p class="no-data">{p.noData}</p>
      )}
      <details open={p.open}>
        <summary>{p.tableLabel}</summary>
        {p.table}
      </details>
    </section>
  );
};
