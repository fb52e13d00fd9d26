import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCircular, parseDependencyTree, type DependencyTree } from 'dpdm';
import { describe, expect, it } from 'vitest';

/**
 * No import loops anywhere in src/ (engine, viz, ui, worker, cli). Every import counts: type-only
 * ones (a loop of types is still two files that cannot be read apart) and dynamic ones (the
 * router's lazy `import()` of a page that imports the router back was such a loop).
 */

/**
 * Cycles known when this test was written, to be removed by the engine refactor in progress
 * (issue 11) and then deleted from this list. Each entry is a cycle as `cycleText` prints it.
 * Keep it empty: a new entry needs a reason beside it.
 */
const ALLOWED_CYCLES: readonly string[] = [];

async function dependencyTree(context: string, files: string[], tsconfig?: string): Promise<DependencyTree> {
  return parseDependencyTree(files, { cwd: context, context, tsconfig, transform: false, skipDynamicImports: false });
}

/** One cycle as text, rotated to start at its alphabetically first file: "a.ts → b.ts → a.ts". */
function cycleText(cycle: string[]): string {
  const start = cycle.indexOf([...cycle].sort()[0]);
  const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
  return [...rotated, rotated[0]].join(' → ');
}

function cycles(tree: DependencyTree): string[] {
  return [...new Set(parseCircular(tree).map(cycleText))].sort();
}

describe('import graph', () => {
  it('src/ has no import cycles', async () => {
    const tree = await dependencyTree(process.cwd(), ['src/**/*.ts', 'src/**/*.tsx'], 'tsconfig.json');
    const sources = Object.keys(tree).filter((f) => /^src\/.*\.tsx?$/.test(f));
    expect(sources.length).toBeGreaterThan(200); // the whole tree was read, not an empty glob
    // An import that does not resolve would hide its edge (and any cycle through it).
    const unresolved = Object.values(tree)
      .flatMap((deps) => deps ?? [])
      .filter((d) => d.id === null && d.request.startsWith('.'))
      .map((d) => `${d.issuer}: ${d.request}`);
    expect(unresolved).toEqual([]);
    const found = cycles(tree);
    expect(found.filter((c) => !ALLOWED_CYCLES.includes(c))).toEqual([]);
    // An allowed cycle that is gone must leave the list too, so the list only ever shrinks.
    expect(ALLOWED_CYCLES.filter((c) => !found.includes(c))).toEqual([]);
  });

  it('the check finds a cycle, through a type-only or a dynamic import too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(join(dir, 'b.ts'), "import type { T } from './c';\nexport const b: T = 1;\n");
      writeFileSync(join(dir, 'c.ts'), "export type T = number;\nexport const load = () => import('./a');\n");
      writeFileSync(join(dir, 'd.ts'), "import { a } from './a';\nexport const d = a;\n");
      const tree = await dependencyTree(dir, ['*.ts']);
      expect(cycles(tree)).toEqual(['a.ts → b.ts → c.ts → a.ts']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
