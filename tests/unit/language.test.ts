import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spokenLanguage } from '../../knowledge/language';
import { loadEvalQueries } from '../eval/queries';

const conversations = readFileSync(new URL('../conversations/tuning.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { lang: 'vi' | 'en'; turns: { say?: unknown }[] });
const turns = (lang: 'vi' | 'en') =>
  conversations.filter((c) => c.lang === lang).flatMap((c) => c.turns.flatMap((t) => (typeof t.say === 'string' ? [t.say] : [])));

describe('the language a message is written in', () => {
  it('reads plain cases', () => {
    expect(spokenLanguage('How much does it cost?')).toBe('en');
    expect(spokenLanguage('building permit')).toBe('en');
    expect(spokenLanguage('can I register my marriage in Ha Noi?')).toBe('en');
    expect(spokenLanguage('lệ phí bao nhiêu')).toBe('vi');
    expect(spokenLanguage('le phi bao nhieu')).toBe('vi');
    // Short talk, loanwords, abbreviations and names carry no language of their own.
    for (const text of ['ok bye', 'hello', 'thanks', 'lam passport online', 'cccd', 'Nguyen Van An', '0912345678', '']) {
      expect(spokenLanguage(text), text).toBeNull();
    }
  });

  it('takes every English question of the search eval for English', () => {
    const english = loadEvalQueries().filter((q) => q.kind === 'english');
    expect(english.length).toBeGreaterThanOrEqual(20);
    expect(english.filter((q) => spokenLanguage(q.query) !== 'en').map((q) => q.query)).toEqual([]);
  });

  it('never takes a Vietnamese question (with or without accents, typos, teencode) for English', () => {
    const vietnamese = loadEvalQueries().filter((q) => ['accented', 'unaccented', 'colloquial', 'typo', 'same-day'].includes(q.kind));
    expect(vietnamese.length).toBeGreaterThanOrEqual(150);
    expect(vietnamese.filter((q) => spokenLanguage(q.query) === 'en').map((q) => q.query)).toEqual([]);
    const said = turns('vi');
    expect(said.length).toBeGreaterThanOrEqual(200);
    expect(said.filter((text) => spokenLanguage(text) === 'en')).toEqual([]);
  });

  it('never takes an English conversation turn for Vietnamese', () => {
    const said = turns('en');
    expect(said.length).toBeGreaterThanOrEqual(50);
    expect(said.filter((text) => spokenLanguage(text) === 'vi')).toEqual([]);
  });
});
