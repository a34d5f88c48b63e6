/**
 * The charts' colours (GOV.UK's palette): each at least 4.5:1 against white, so a bar reads
 * against the page and white figures read on a bar; neighbours in a stack differ in lightness as
 * well as hue, so they stay apart for colour-blind readers and in black-and-white print.
 */
export const COLOURS = {
  online: '#1d70b8',
  counter: '#505a5f',
  early: '#003078',
  onTime: '#1d70b8',
  late: '#d4351c',
  rating: '#00703c',
  trend: '#1d70b8',
  busy: '#4c2c92',
  ink: '#0b0c0c',
  grid: '#b1b4b6',
} as const;

export interface ChartSeries {
  name: string;
  colour: string;
}
