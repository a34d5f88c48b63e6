import { describe, expect, it } from 'vitest';
import { ASSET_VERSION, ASSETS } from '../../console/assets';

describe('the console’s stylesheet and script', () => {
  it('closes every block of the stylesheet, so no rule meant for phones or print leaks into the page', () => {
    const css = ASSETS['console.css'].body;
    let depth = 0;
    for (const ch of css) {
      depth += ch === '{' ? 1 : ch === '}' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
    // Rules that switch the charts between desktop and phone width exist only inside the phone block.
    const outside = css.replace(/@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}/g, '');
    expect(outside).not.toMatch(/\.wide-only\s*\{\s*display:\s*none/);
  });

  it('has a script that parses, and a version that changes with the assets', () => {
    expect(() => new Function(ASSETS['console.js'].body)).not.toThrow();
    expect(ASSET_VERSION).toMatch(/^[0-9a-f]{12}$/);
  });
});
