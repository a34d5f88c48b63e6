import { describe, expect, it } from 'vitest';
import { parseCount, vietnameseNumber } from '../../knowledge/numbers';

describe('a number of copies as citizens type it', () => {
  it.each([
    ['3', 3],
    [' 3 ', 3],
    ['3 bản', 3],
    ['3 ban', 3],
    ['3bản', 3],
    ['ba bản', 3],
    ['Ba Bản', 3],
    ['2 bộ', 2],
    ['x3', 3],
    ['X 3', 3],
    ['3x', 3],
    ['×3', 3],
    ['3 bản sao', 3],
    ['lấy 2 bản', 2],
    ['tôi cần 4 bản', 4],
    ['một', 1],
    ['bốn', 4],
    ['năm bản', 5],
    ['bảy', 7],
    ['mười', 10],
    ['mười một bản', 11],
    ['muoi lam', 15],
    ['mười năm', 15],
    ['hai mươi', 20],
    ['hai mươi mốt', 21],
    ['25', 25],
    ['three copies', 3],
    ['twenty', 20],
  ])('reads %j as %j', (typed, expected) => {
    expect(parseCount(typed)).toBe(expected);
  });

  it.each(['', 'bản', '0', '0 bản', '3 hoặc 4', '2 3', '1.000', 'nhiều', 'tư', 'lăm', 'x', '-3', '3,5'])('refuses %j', (typed) => {
    expect(parseCount(typed)).toBeNull();
  });
});

describe('Vietnamese number words', () => {
  it.each([
    [['chin'], 9],
    [['muoi', 'chin'], 19],
    [['ba', 'muoi', 'tu'], 34],
    [['chin', 'muoi', 'chin'], 99],
  ])('reads %j as %j', (words, expected) => {
    expect(vietnameseNumber(words)).toBe(expected);
  });

  it.each([[['mot', 'muoi']], [['muoi', 'muoi']], [['hai', 'ba']], [['ba', 'muoi', 'ba', 'ba']]])('refuses %j', (words) => {
    expect(vietnameseNumber(words)).toBeNull();
  });
});
