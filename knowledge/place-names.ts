import { foldVietnamese } from './normalize';
import { vietnameseNumber } from './numbers';

/**
 * The kind words of a commune-level unit as typed, folded, with their abbreviations ("P.1",
 * "F1" in Saigon speech, "X. Tân Phú", "TT"). Since July 2025 a commune-level unit is a xã,
 * phường or đặc khu; "thị trấn" remains in older names and habits.
 */
const KIND_WORDS: [string[], string][] = [
  [['phuong'], 'phuong'],
  [['p'], 'phuong'],
  [['f'], 'phuong'],
  [['xa'], 'xa'],
  [['x'], 'xa'],
  [['thi', 'tran'], 'thi tran'],
  [['tt'], 'thi tran'],
  [['dac', 'khu'], 'dac khu'],
];

/** A place name as matching sees it: its kind ("phuong", or null when not said) and the rest. */
export interface PlaceKey {
  kind: string | null;
  core: string;
}

/**
 * Folds a place name so that the ways citizens write it meet: no accents, abbreviations of the
 * kind word expanded, a number in words or with leading zeros as plain digits.
 *
 * @example placeKey('P.01') // { kind: 'phuong', core: '1' }
 * @example placeKey('phường Một') // { kind: 'phuong', core: '1' }
 * @example placeKey('Xã Tân Phú') // { kind: 'xa', core: 'tan phu' }
 */
export function placeKey(name: string): PlaceKey {
  // "p1", "f12", "x3": a kind letter glued to its number.
  const words = foldVietnamese(name)
    .split(' ')
    .flatMap((word) => (/^[pfx]\d+$/.test(word) ? [word.slice(0, 1), word.slice(1)] : [word]))
    .filter((word) => word !== '');
  let kind: string | null = null;
  for (const [written, meaning] of KIND_WORDS) {
    if (written.every((word, i) => words[i] === word) && words.length > written.length) {
      kind = meaning;
      words.splice(0, written.length);
      break;
    }
  }
  const spelled = vietnameseNumber(words);
  const [only] = words;
  const core = spelled !== null ? String(spelled) : words.length === 1 && only !== undefined && /^\d+$/.test(only) ? String(Number(only)) : words.join(' ');
  return { kind, core };
}

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i] as number[];
      const above = rows[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, ((rows[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = best;
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

export interface PlaceMatches<T> {
  /** True when the places match what was typed (the same name, or a name containing it); false when they are only the closest. */
  matched: boolean;
  places: T[];
}

/**
 * The places a citizen meant by what they typed, accents, abbreviations and number words aside:
 * those of the same name or whose name contains it; failing that, the closest few by spelling
 * (a typo or two); failing that, none.
 *
 * @example matchPlaces('phuong 1', [{ name: 'Phường 1' }, { name: 'Phường 10' }]).places // [{ name: 'Phường 1' }]
 * @example matchPlaces('ben tanh', [{ name: 'Phường Bến Thành' }]) // { matched: false, places: [{ name: 'Phường Bến Thành' }] }
 */
export function matchPlaces<T extends { name: string }>(typed: string, places: readonly T[], limit = 6): PlaceMatches<T> {
  const found = matchName(typed, places, limit);
  if (found.matched) return found;
  // A sentence around the name ("tôi ở phường Bến Nghé"): the name from its kind word, or after "ở".
  for (const tail of namesInSentence(typed)) {
    const inside = matchName(tail, places, limit);
    if (inside.matched) return inside;
  }
  return found;
}

/**
 * The parts of a sentence that may be a place's name: from each kind word on ("phường Bến Nghé"
 * in "tôi ở phường Bến Nghé") and after "ở" ("nhà tôi ở bến nghé").
 *
 * @example namesInSentence('toi o phuong ben nghe') // ['ben nghe', 'phuong ben nghe']
 */
function namesInSentence(typed: string): string[] {
  const words = foldVietnamese(typed).split(' ');
  const tails: string[] = [];
  for (let i = 1; i < words.length - 1; i++) {
    const kindHere = KIND_WORDS.some(([written]) => written.every((word, j) => words[i + j] === word));
    if (words[i] === 'o') tails.push(words.slice(i + 1).join(' '));
    else if (kindHere) tails.push(words.slice(i).join(' '));
  }
  return tails;
}

function matchName<T extends { name: string }>(typed: string, places: readonly T[], limit: number): PlaceMatches<T> {
  const wanted = placeKey(typed);
  if (wanted.core.length === 0) return { matched: false, places: [] };
  const keyed = places
    .map((place) => ({ place, key: placeKey(place.name) }))
    .filter(({ key }) => wanted.kind === null || key.kind === null || key.kind === wanted.kind);
  const same = keyed.filter(({ key }) => key.core === wanted.core);
  if (same.length > 0) return { matched: true, places: same.slice(0, limit).map(({ place }) => place) };
  // A part of the name ("ben thanh" for "Bến Thành"), from two letters on; not inside a number ("1" is not "10").
  const partOf = (core: string) => wanted.core.length >= 2 && !/^\d+$/.test(wanted.core) && ` ${core} `.includes(` ${wanted.core}`);
  const containing = keyed.filter(({ key }) => partOf(key.core));
  if (containing.length > 0) return { matched: true, places: containing.slice(0, limit).map(({ place }) => place) };
  // Typos: one wrong letter in four (a swap of two counts as one), at least one, and never more than half of what was typed.
  const allowed = Math.max(1, Math.floor(wanted.core.length / 4));
  const close = keyed
    .map(({ place, key }) => ({ place, distance: editDistance(wanted.core, key.core) }))
    .filter(({ distance }) => distance <= allowed && distance * 2 <= Math.max(2, wanted.core.length))
    .sort((a, b) => a.distance - b.distance);
  return { matched: false, places: close.slice(0, limit).map(({ place }) => place) };
}
