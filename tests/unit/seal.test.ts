import { describe, expect, it } from 'vitest';
import { createSealer } from '../../lib/seal';

const SECRET = 'a-server-secret-of-at-least-32-characters!';

describe('sealed secrets', () => {
  it('opens what it sealed, and seals the same text differently each time', () => {
    const otp = createSealer(SECRET, 'otp');
    const a = otp.seal('482913');
    const b = otp.seal('482913');
    expect(a).not.toBe(b);
    expect(a).not.toContain('482913');
    expect(otp.unseal(a)).toEqual({ ok: true, value: '482913' });
  });

  it('refuses a value sealed for another purpose or under another secret', () => {
    const sealed = createSealer(SECRET, 'otp').seal('482913');
    expect(createSealer(SECRET, 'zalo-token').unseal(sealed)).toEqual({ ok: false, reason: 'unreadable' });
    expect(createSealer(`${SECRET}x`, 'otp').unseal(sealed)).toEqual({ ok: false, reason: 'unreadable' });
  });

  it('refuses a tampered or malformed value', () => {
    const otp = createSealer(SECRET, 'otp');
    const [v, iv, body, tag] = otp.seal('482913').split('.');
    const flipped = `${body?.slice(0, -2)}${body?.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(otp.unseal([v, iv, flipped, tag].join('.')).ok).toBe(false);
    expect(otp.unseal('482913').ok).toBe(false);
    expect(otp.unseal('v1.x.y.z').ok).toBe(false);
  });
});
