import { describe, expect, it } from 'vitest';
import { resources } from '../../bot/locales';

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('certification texts', () => {
  it('has every text in Vietnamese and English, with the same placeholders', () => {
    const vi = resources.vi.certify;
    const en = resources.en.certify;
    expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
    for (const [key, text] of Object.entries(vi)) expect(placeholders(en[key as keyof typeof en]), key).toEqual(placeholders(text));
  });

  it('warns never to share the code, and tells unregistered citizens how to register, in both languages', () => {
    expect(resources.vi.certify.codeSent).toMatch(/không chia sẻ/i);
    expect(resources.en.certify.codeSent).toMatch(/never share/i);
    expect(resources.vi.certify.codeSent).toContain('Nếu Anh/Chị chưa đăng ký');
    expect(resources.en.certify.codeSent).toContain('If you have not registered');
  });
});
