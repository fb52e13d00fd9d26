import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** Proves the lint rules that keep the layers apart actually fire (engine → viz → ui). */
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const eslint = new ESLint();
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.map((m) => m.ruleId ?? m.message);
}

describe('layer rules', () => {
  it('the engine may not import React, d3 or the UI, nor touch the DOM', async () => {
    expect(
      await ruleIds("import { useState } from 'react';\nexport const s = useState;\n", 'src/engine/x.ts'),
    ).toContain('no-restricted-imports');
    expect(await ruleIds("import * as d3 from 'd3';\nexport const s = d3;\n", 'src/engine/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds("import { App } from '../ui/App';\nexport const s = App;\n", 'src/engine/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds('export const el = document.body;\n', 'src/engine/x.ts')).toContain('no-restricted-globals');
  });
  it('viz may use d3 but not React', async () => {
    expect(await ruleIds("import * as d3 from 'd3';\nexport const s = d3;\n", 'src/viz/x.ts')).toEqual([]);
    expect(await ruleIds("import { useState } from 'react';\nexport const s = useState;\n", 'src/viz/x.ts')).toContain(
      'no-restricted-imports',
    );
  });
  it('only tests import the test support in src/engine/testing (it stays out of the app)', async () => {
    const code = "import { randomAdapter } from '../testing/testAdapter';\nexport const x = randomAdapter;\n";
    expect(await ruleIds(code, 'src/engine/peft/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds(code.replace('../testing', '../../engine/testing'), 'src/ui/lm/x.ts')).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds(code, 'src/engine/peft/x.test.ts')).toEqual([]);
    expect(
      await ruleIds("import { useState } from 'react';\nexport const s = useState;\n", 'src/engine/x.test.ts'),
    ).toContain('no-restricted-imports');
  });
  it('the UI may import everything below it', async () => {
    expect(await ruleIds("import { tf } from '../engine/tf';\nexport const s = tf;\n", 'src/ui/x.ts')).toEqual([]);
  });
});
