import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resources } from '../../console/i18n';

type Texts = { [key: string]: string | Texts };

/** Every leaf key of a texts tree as `area.key.sub`, with i18next's plural suffixes folded away. */
function leaves(tree: Texts, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return typeof value === 'string' ? [path.replace(/_(one|other)$/, '')] : leaves(value, path);
  });
}

/** Every source file of the console. */
function sources(folder = 'console'): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(folder, entry.name)) : /\.tsx?$/.test(entry.name) ? [join(folder, entry.name)] : [],
  );
}

describe('the console’s texts', () => {
  it('has the same keys in Vietnamese and English', () => {
    const vi = new Set(leaves(resources.vi as Texts));
    const en = new Set(leaves(resources.en as Texts));
    expect([...vi].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !vi.has(k))).toEqual([]);
  });

  it('has a text (not a group) for every key written out in the pages', () => {
    const known = new Set(leaves(resources.vi as Texts));
    const used = sources().flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z]+(?:\.[a-zA-Z0-9]+)+)'/g)].map((m) => ({ file, key: m[1] ?? '' })),
    );
    expect(used.length).toBeGreaterThan(100);
    expect(used.filter((u) => !known.has(u.key))).toEqual([]);
  });
});
