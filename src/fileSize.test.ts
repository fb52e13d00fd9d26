import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Small files with one job: no non-test source or style file in src/ over 350 lines. */
const MAX_LINES = 350;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.(ts|tsx|css)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [path] : [];
  });
}

describe('file sizes', () => {
  it(`no non-test file in src/ has more than ${MAX_LINES} lines`, () => {
    const lengths = new Map(sources('src').map((f) => [f, readFileSync(f, 'utf8').split('\n').length - 1]));
    const over = [...lengths].filter(([, n]) => n > MAX_LINES).map(([f, n]) => `${f}: ${n}`);
    expect(over).toEqual([]);
  });
});
