import { describe, expect, it } from 'vitest';
import { editDistance, matchPlaces, placeKey } from '../../knowledge/place-names';

const AREAS = ['Phường 1', 'Phường 10', 'Phường Bến Thành', 'Phường Tân Định', 'Xã Tân Phú', 'Xã Hai Bà Trưng', 'Đặc khu Côn Đảo'].map((name) => ({ name }));
const names = (typed: string) => matchPlaces(typed, AREAS).places.map((p) => p.name);

describe('place names as citizens type them', () => {
  it.each([
    ['Phường 1', { kind: 'phuong', core: '1' }],
    ['phuong 1', { kind: 'phuong', core: '1' }],
    ['P.1', { kind: 'phuong', core: '1' }],
    ['p1', { kind: 'phuong', core: '1' }],
    ['F1', { kind: 'phuong', core: '1' }],
    ['phường 01', { kind: 'phuong', core: '1' }],
    ['phường Một', { kind: 'phuong', core: '1' }],
    ['Phường mười', { kind: 'phuong', core: '10' }],
    ['X. Tân Phú', { kind: 'xa', core: 'tan phu' }],
    ['tân phú', { kind: null, core: 'tan phu' }],
    ['đặc khu Côn Đảo', { kind: 'dac khu', core: 'con dao' }],
    ['phường', { kind: null, core: 'phuong' }],
  ])('reads %j as %j', (typed, key) => {
    expect(placeKey(typed)).toEqual(key);
  });

  it('counts a swap of two letters as one edit', () => {
    expect(editDistance('ben thanh', 'ben thanh')).toBe(0);
    expect(editDistance('ben tahnh', 'ben thanh')).toBe(1);
    expect(editDistance('ben tanh', 'ben thanh')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it.each([
    ['phuong 1', ['Phường 1']],
    ['P.1', ['Phường 1']],
    ['phường Một', ['Phường 1']],
    ['p10', ['Phường 10']],
    ['Bến Thành', ['Phường Bến Thành']],
    ['ben thanh', ['Phường Bến Thành']],
    ['tan', ['Phường Tân Định', 'Xã Tân Phú']],
    ['xã tân', ['Xã Tân Phú']],
    ['hai ba trung', ['Xã Hai Bà Trưng']],
    ['con dao', ['Đặc khu Côn Đảo']],
    ['tôi ở phường Bến Thành', ['Phường Bến Thành']],
    ['nha toi o tan phu', ['Xã Tân Phú']],
    ['em sống ở P.10', ['Phường 10']],
  ])('matches %j to %j', (typed, expected) => {
    expect(matchPlaces(typed, AREAS)).toEqual({ matched: true, places: expected.map((name) => ({ name })) });
  });

  it.each([
    ['ben tanh', ['Phường Bến Thành']],
    ['phuong ben thnah', ['Phường Bến Thành']],
    ['tan dihn', ['Phường Tân Định']],
    ['tan phy', ['Xã Tân Phú']],
    ['xa tan phy', ['Xã Tân Phú']],
    ['phường 2', ['Phường 1']],
  ])('offers the closest names to the typo %j', (typed, expected) => {
    const found = matchPlaces(typed, AREAS);
    expect(found.matched).toBe(false);
    expect(found.places.map((p) => p.name)).toEqual(expected);
  });

  it.each(['', '?!', 'quận 7 thành phố hồ chí minh', 'xyz'])('offers nothing for %j', (typed) => {
    expect(names(typed)).toEqual([]);
  });
});
