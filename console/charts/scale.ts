/**
 * The geometry of the dashboard's charts, apart from their drawing so it can be tested: nice
 * axis tops, stacked columns and bars, line points. Every function answers `null` when there is
 * nothing to draw, so a chart says "no figures" instead of drawing NaN-sized shapes.
 */

/** The smallest "round" number (1, 2, 2.5 or 5 times a power of ten) at or above `max`; null when max is not above 0. */
export function niceTop(max: number): number | null {
  if (!Number.isFinite(max) || max <= 0) return null;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return Math.max(1, step * power);
  return 10 * power;
}

/** Gridline values from 0 to `top` in 2 to 5 equal steps of whole numbers (a count axis). */
export function ticks(top: number): number[] {
  const count = [4, 5, 2].find((n) => Number.isInteger(top / n)) ?? 1;
  const whole = top / count;
  const out: number[] = [];
  for (let v = 0; v <= top; v += whole) out.push(v);
  return out;
}

interface Box {
  width: number;
  height: number;
}

interface Segment {
  /** Which series (index into the stack) this piece shows. */
  series: number;
  value: number;
  /** Offset along the value axis and length, in pixels (y counts from the top for columns). */
  start: number;
  length: number;
}

interface Stacked {
  top: number;
  /** Pixels per unit of value. */
  scale: number;
  stacks: { offset: number; thickness: number; total: number; segments: Segment[] }[];
}

/**
 * Lays out stacks of values (one stack per category, one value per series) along a band axis of
 * `across` pixels, with the values along `along` pixels from 0 to a nice top. Zero-length
 * segments are left out. Null when every value is 0 (or there are no categories).
 */
export function stack(values: readonly (readonly number[])[], across: number, along: number, gapRatio = 0.25): Stacked | null {
  const totals = values.map((s) => s.reduce((sum, v) => sum + Math.max(0, v), 0));
  const top = niceTop(Math.max(0, ...totals));
  if (top === null || values.length === 0) return null;
  const band = across / values.length;
  const thickness = Math.max(1, band * (1 - gapRatio));
  const scale = along / top;
  return {
    top,
    scale,
    stacks: values.map((series, i) => {
      let at = 0;
      const segments: Segment[] = [];
      series.forEach((v, s) => {
        if (v <= 0) return;
        segments.push({ series: s, value: v, start: at * scale, length: v * scale });
        at += v;
      });
      return { offset: i * band + (band - thickness) / 2, thickness, total: totals[i] ?? 0, segments };
    }),
  };
}

/**
 * Points of a line over evenly spaced categories, y from `min` (bottom) to `max` (top); a null
 * value breaks the line (a day without ratings is no rating of 0). Returns the runs of connected
 * points, or null when no value is known.
 */
export function linePoints(
  values: readonly (number | null)[],
  box: Box,
  min: number,
  max: number,
): { index: number; x: number; y: number; value: number }[][] | null {
  if (!values.some((v) => v !== null) || max <= min) return null;
  const band = box.width / values.length;
  const runs: { index: number; x: number; y: number; value: number }[][] = [];
  let run: { index: number; x: number; y: number; value: number }[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (run.length) runs.push(run);
      run = [];
      return;
    }
    const clamped = Math.min(max, Math.max(min, v));
    run.push({ index: i, x: band * i + band / 2, y: box.height - ((clamped - min) / (max - min)) * box.height, value: v });
  });
  if (run.length) runs.push(run);
  return runs;
}

/** Which category labels to print so they do not overlap: every `step`-th, with at most `most` labels. */
export const labelStep = (count: number, most: number) => Math.max(1, Math.ceil(count / Math.max(1, most)));

/**
 * A label shortened with an ellipsis to fit `width` pixels at the charts' 13 px text (SVG text
 * does not wrap); the full name stays in the tooltip and the table. An estimate, on the wide side.
 */
export function fitLabel(label: string, width: number, charWidth = 7): string {
  const most = Math.floor(width / charWidth);
  return label.length <= most ? label : `${label.slice(0, Math.max(1, most - 1)).trimEnd()}…`;
}
