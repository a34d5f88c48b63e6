import { describe, expect, it } from 'vitest';
import { constantTimeEqual, randomDigits } from '../../lib/crypto';
import { createLogger } from '../../lib/logger';
import { lastFourDigits, maskPhone, normalizeVnPhone } from '../../lib/phone';
import { createPacer } from '../../lib/rate-limiter';
import { formatLocalDate, localParts, localTime, outsideQuietHours, startOfLocalDay } from '../../lib/vn-time';
import { createVirtualTimer } from '../support/clock';

describe('Vietnamese phone numbers', () => {
  it.each([
    ['0912345678', '+84912345678'],
    ['0912 345 678', '+84912345678'],
    ['+84912345678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['091.234.5678', '+84912345678'],
    ['0387654321', '+84387654321'],
  ])('accepts %s as %s', (input, expected) => {
    expect(normalizeVnPhone(input)).toEqual({ ok: true, value: expected });
  });

  it.each(['', '12345', '0012345678', '+14155552671', 'abc0912345678', '09123456789012345'])('rejects %j', (input) => {
    expect(normalizeVnPhone(input)).toEqual({ ok: false, reason: 'invalid_phone' });
  });

  it('masks the middle of a number and keeps the last four digits for lookups', () => {
    expect(maskPhone('+84912345678')).toBe('+84912***678');
    expect(lastFourDigits('+84912345678')).toBe('5678');
  });

  it('masks phone fields in log lines', () => {
    const lines: string[] = [];
    createLogger({ level: 'info', write: (l) => lines.push(l) }).info('otp sent', { phone: '+84912345678' });
    expect(lines[0]).toContain('+84912***678');
    expect(lines[0]).not.toContain('345678');
  });

  it('writes only lines at or above its level, and says which levels those are', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', write: (l) => lines.push(l) }).child({ channel: 'telegram' });
    logger.debug('dropped');
    logger.info('kept');
    logger.error('kept too');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['kept', 'kept too']);
    expect(JSON.parse(lines[0] ?? '{}').channel).toBe('telegram');
    expect((['debug', 'info', 'warn', 'error'] as const).map((level) => logger.enabled(level))).toEqual([false, true, true, true]);
  });
});

describe('Vietnam local time', () => {
  it('computes local dates at the UTC+7 day boundary', () => {
    expect(formatLocalDate(new Date('2026-12-31T16:59:00Z'))).toBe('31/12/2026');
    expect(formatLocalDate(new Date('2026-12-31T17:00:00Z'))).toBe('01/01/2027');
    expect(startOfLocalDay(new Date('2026-12-31T17:30:00Z')).toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(localTime(2026, 11, 23, 8).toISOString()).toBe('2026-11-23T01:00:00.000Z');
    expect(localParts(new Date('2026-11-22T20:00:00Z')).weekday).toBe(1); // 03:00 Monday local
  });

  it.each([
    ['20:59 stays', '2026-11-23T13:59:00Z', '2026-11-23T13:59:00.000Z'],
    ['21:00 waits for 07:00 next day', '2026-11-23T14:00:00Z', '2026-11-24T00:00:00.000Z'],
    ['23:30 waits for 07:00 next day', '2026-11-23T16:30:00Z', '2026-11-24T00:00:00.000Z'],
    ['05:00 waits for 07:00 same day', '2026-11-23T22:00:00Z', '2026-11-24T00:00:00.000Z'],
    ['07:00 goes', '2026-11-24T00:00:00Z', '2026-11-24T00:00:00.000Z'],
  ])('quiet hours: %s', (_name, at, expected) => {
    expect(outsideQuietHours(new Date(at)).toISOString()).toBe(expected);
  });
});

describe('secrets', () => {
  it('compares in constant time and tells equal from unequal', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('draws digits uniformly, keeping leading zeros', () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 2000; i++) for (const d of randomDigits(6)) counts[Number(d)]++;
    expect(randomDigits(6)).toMatch(/^\d{6}$/);
    for (const c of counts) expect(c).toBeGreaterThan(1000); // 1,200 expected per digit
  });
});

describe('pacer', () => {
  it('hands out slots no faster than the rate, even to concurrent callers', async () => {
    const timer = createVirtualTimer();
    const pacer = createPacer(10, timer);
    const slots: number[] = [];
    await Promise.all(
      Array.from({ length: 5 }, async () => {
        await pacer.wait();
        slots.push(timer.nowMs());
      }),
    );
    expect(slots).toEqual([0, 100, 200, 300, 400]);
  });

  it('holds every slot past a pause, then goes on at the rate', async () => {
    const timer = createVirtualTimer();
    const pacer = createPacer(10, timer);
    await pacer.wait();
    pacer.pauseUntil(5000);
    const slots: number[] = [];
    for (let i = 0; i < 2; i++) {
      await pacer.wait();
      slots.push(timer.nowMs());
    }
    expect(slots).toEqual([5000, 5100]);
  });
});
