import { describe, expect, it } from 'vitest';
import { fitLabel, labelStep, linePoints, niceTop, stack, ticks } from '../../console/charts/scale';
import { isLocalDate, parseStatsQuery, presets } from '../../console/pages/stats-query';
import { bucketFor, bucketsOf, periodDays } from '../../domain/dossiers/stats-series';

describe('chart scales', () => {
  it.each([
    [1, 1],
    [3, 5],
    [7, 10],
    [18, 20],
    [21, 25],
    [26, 50],
    [100, 100],
    [101, 200],
    [0.3, 1],
  ])('puts the axis top for %d at %d', (max, top) => {
    expect(niceTop(max)).toBe(top);
  });

  it('has no axis for no data (0, negative, NaN)', () => {
    expect(niceTop(0)).toBeNull();
    expect(niceTop(-3)).toBeNull();
    expect(niceTop(Number.NaN)).toBeNull();
  });

  it('draws gridlines in whole steps up to the top', () => {
    expect(ticks(20)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(25)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(ticks(1)).toEqual([0, 1]);
    expect(ticks(2)).toEqual([0, 1, 2]);
  });

  it('stacks values so segment lengths are proportional and the tallest stack fits', () => {
    const layout = stack(
      [
        [3, 2],
        [10, 0],
        [0, 0],
      ],
      300,
      200,
    );
    expect(layout).not.toBeNull();
    if (!layout) return;
    expect(layout.top).toBe(10);
    expect(layout.scale).toBe(20);
    const [first, second, third] = layout.stacks;
    expect(first?.segments).toEqual([
      { series: 0, value: 3, start: 0, length: 60 },
      { series: 1, value: 2, start: 60, length: 40 },
    ]);
    expect(second?.segments).toEqual([{ series: 0, value: 10, start: 0, length: 200 }]);
    // An empty category keeps its place, with nothing drawn (no zero-height rectangles).
    expect(third).toMatchObject({ total: 0, segments: [] });
    expect(layout.stacks.map((s) => s.offset + s.thickness / 2)).toEqual([50, 150, 250]);
    for (const s of layout.stacks) for (const seg of s.segments) expect(Number.isFinite(seg.start + seg.length)).toBe(true);
  });

  it('has nothing to stack when every value is 0 or there is no category', () => {
    expect(stack([[0, 0], [0]], 100, 100)).toBeNull();
    expect(stack([], 100, 100)).toBeNull();
  });

  it('breaks a line where a value is unknown, and has no line when none is known', () => {
    const runs = linePoints([5, null, 1, 3], { width: 400, height: 100 }, 1, 5);
    expect(runs).toEqual([
      [{ index: 0, x: 50, y: 0, value: 5 }],
      [
        { index: 2, x: 250, y: 100, value: 1 },
        { index: 3, x: 350, y: 50, value: 3 },
      ],
    ]);
    expect(linePoints([null, null], { width: 100, height: 100 }, 1, 5)).toBeNull();
    expect(linePoints([], { width: 100, height: 100 }, 1, 5)).toBeNull();
  });

  it('shortens a label that would run off the chart, and leaves one that fits', () => {
    expect(fitLabel('Hộ tịch', 356)).toBe('Hộ tịch');
    const long = fitLabel('Thành lập và hoạt động doanh nghiệp (hộ kinh doanh) của tỉnh', 280);
    expect(long).toBe('Thành lập và hoạt động doanh nghiệp (hộ…');
    expect(long.length).toBeLessThanOrEqual(40);
  });

  it('thins out labels so no more than asked are printed', () => {
    expect(labelStep(30, 12)).toBe(3);
    expect(labelStep(7, 7)).toBe(1);
    expect(labelStep(0, 12)).toBe(1);
  });
});

describe('statistics periods', () => {
  it('goes day by day up to 62 days, then month by month', () => {
    expect(periodDays('2026-11-01', '2026-11-30')).toBe(30);
    expect(bucketFor('2026-11-01', '2027-01-01')).toBe('day'); // 62 days
    expect(bucketFor('2026-11-01', '2027-01-02')).toBe('month');
    expect(bucketsOf('2026-02-27', '2026-03-02', 'day')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(bucketsOf('2025-11-15', '2026-02-01', 'month')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });

  it('knows real dates from impossible ones', () => {
    expect(isLocalDate('2028-02-29')).toBe(true);
    expect(isLocalDate('2026-02-29')).toBe(false);
    expect(isLocalDate('2026-11-31')).toBe(false);
    expect(isLocalDate('31/11/2026')).toBe(false);
    expect(isLocalDate('2026-1-5')).toBe(false);
  });

  it('offers this month to today, the whole of last month (across a new year) and this year', () => {
    expect(presets('2026-12-01')).toEqual({
      thisMonth: { from: '2026-12-01', to: '2026-12-01' },
      lastMonth: { from: '2026-11-01', to: '2026-11-30' },
      thisYear: { from: '2026-01-01', to: '2026-12-01' },
    });
    expect(presets('2027-01-15').lastMonth).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(presets('2028-03-10').lastMonth).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  const province = { today: '2026-11-23', scope: null, offices: [1, 2] };
  const office1 = { today: '2026-11-23', scope: 1, offices: [1, 2] };

  it('shows this month to today when no date is given, for every office or the account’s own', () => {
    expect(parseStatsQuery({}, province)).toMatchObject({ ok: true, value: { from: '2026-11-01', to: '2026-11-23', officeId: undefined } });
    expect(parseStatsQuery({}, office1)).toMatchObject({ ok: true, value: { from: '2026-11-01', to: '2026-11-23', officeId: 1 } });
    expect(parseStatsQuery({ from: '2026-10-01', to: '2026-10-31', office: '2' }, province)).toMatchObject({ ok: true, value: { officeId: 2 } });
  });

  it('refuses another office to an account that has one, rather than quietly showing its own', () => {
    expect(parseStatsQuery({ office: '2' }, office1)).toEqual({ ok: false, reason: 'other_office' });
    expect(parseStatsQuery({ office: 'all' }, office1)).toEqual({ ok: false, reason: 'other_office' });
    expect(parseStatsQuery({ office: '1' }, office1)).toMatchObject({ ok: true, value: { officeId: 1 } });
  });

  it.each([
    [{ from: '2026-11-31', to: '2026-12-01' }, [{ field: 'from', key: 'date' }]],
    [{ from: '2026-11-01', to: '' }, [{ field: 'to', key: 'toMissing' }]],
    [{ from: '2026-11-30', to: '2026-11-01' }, [{ field: 'to', key: 'order' }]],
    [{ from: '2020-01-01', to: '2026-01-01' }, [{ field: 'to', key: 'tooLong' }]],
    [{ from: '2026-11-01', to: '2026-11-02', office: '9' }, [{ field: 'office', key: 'office' }]],
    [{ from: '2026-11-01', to: '2026-11-02', office: 'x' }, [{ field: 'office', key: 'office' }]],
  ])('names the field of a bad query %o', (query, errors) => {
    expect(parseStatsQuery(query, province)).toMatchObject({ ok: false, reason: 'invalid', errors });
  });
});
