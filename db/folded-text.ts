import { type SQL, sql } from 'drizzle-orm';

/**
 * Every precomposed Latin letter with a diacritic (Vietnamese's among them) and the plain
 * lower-case letter it folds to, the way knowledge/normalize.ts foldVietnamese folds it (NFD,
 * marks dropped, đ -> d). Built once from Unicode itself rather than typed out, so no letter is
 * forgotten; tests/unit/folded-text.test.ts checks the two folds agree.
 */
function foldTable(): { from: string; to: string } {
  let from = '';
  let to = '';
  const ranges: [number, number][] = [
    [0x00c0, 0x024f],
    [0x1e00, 0x1eff],
  ];
  for (const [first, last] of ranges) {
    for (let point = first; point <= last; point++) {
      const letter = String.fromCodePoint(point);
      const base = letter
        .normalize('NFD')
        .replace(/[\u0300-\u036f]/g, '')
        .replace(/[đĐ]/g, 'd')
        .toLowerCase();
      if (/^[a-z]$/.test(base)) {
        from += letter;
        to += base;
      }
    }
  }
  // Combining marks (decomposed input) come last with no partner, so translate() drops them.
  for (let point = 0x0300; point <= 0x036f; point++) from += String.fromCodePoint(point);
  return { from, to };
}

const TABLE = foldTable();

/**
 * SQL that folds a text column or value for accent- and case-insensitive matching: diacritics
 * dropped by translate() and ASCII lowered by lower() (which, unlike translate, depends on the
 * database's locale for other letters, so accented capitals are translated first). Immutable, so
 * it can define a generated column and an index.
 *
 * @example foldedText(sql`'Nguyễn Thị LAN'`) // evaluates to 'nguyen thi lan'
 */
export function foldedText(value: SQL): SQL {
  return sql`lower(translate(${value}, ${sql.raw(`'${TABLE.from}'`)}, ${sql.raw(`'${TABLE.to}'`)}))`;
}
