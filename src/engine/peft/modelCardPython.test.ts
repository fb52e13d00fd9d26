/**
 * Opt-in: the model card's Python, run as written with real torch + transformers + peft, in the
 * folder that the "base + adapter" download unpacks to (the shipped base beside an adapter). It
 * must print the same greedy continuation that the app generates with that adapter. Set
 * RECIPE_PYTHON to a python with torch, transformers and peft (seconds); without it this prints a skip.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LmSession } from '../session/lmSession';
import { randomAdapter } from '../testing/testAdapter';

const python = process.env.RECIPE_PYTHON;
const tiny = join(__dirname, '../../../public/models/tiny');

function write<T extends { [K in keyof T]: Uint8Array | string }>(dir: string, files: T): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries<Uint8Array | string>(files)) writeFileSync(join(dir, name), content);
}

describe.runIf(python)('the model card’s Python (RECIPE_PYTHON)', () => {
  it('loads base + adapter with PEFT and generates what the app generates', async () => {
    const session = LmSession.open({
      name: 'lowrank-tiny',
      config: readFileSync(join(tiny, 'config.json'), 'utf8'),
      weights: new Uint8Array(readFileSync(join(tiny, 'model.safetensors'))),
      tokenizer: readFileSync(join(tiny, 'tokenizer.json'), 'utf8'),
    });
    try {
      const modules = new Map(session.summary().modules.map((m) => [m.name, { dIn: m.dIn, dOut: m.dOut }]));
      const weights = randomAdapter({ modules, modelType: 'gpt2' }, { r: 4, lora_alpha: 8 }, 7);
      for (const m of weights.modules.values()) m.B.data.forEach((v, i, b) => (b[i] = 0.05 * v));
      const name = session.workspace.restoreAdapter('names', weights);
      const dir = mkdtempSync(join(tmpdir(), 'card-'));
      const adapterFiles = await session.workspace.exportAdapterFiles(name, { baseFolder: 'lowrank-tiny-base' });
      write(join(dir, name), adapterFiles);
      write(join(dir, 'lowrank-tiny-base'), await session.workspace.exportBaseFiles(false));
      const code = /```python\n([\s\S]*?)```/.exec(adapterFiles['README.md'])![1];
      writeFileSync(join(dir, 'load.py'), code);

      const run = spawnSync(python!, ['load.py'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
      expect(run.status, run.stderr).toBe(0);
      const greedy = { maxNewTokens: 20, temperature: 0, topK: 0, seed: 0 };
      const withAdapter = await session.generate('The', { ...greedy, useAdapter: true });
      const baseOnly = await session.generate('The', { ...greedy, useAdapter: false });
      expect(withAdapter).not.toBe(baseOnly); // the adapter matters, so the match below means something
      expect(run.stdout.trim().split('\n').at(-1)).toBe(withAdapter);
      console.log(`PEFT printed ${JSON.stringify(withAdapter)} (base alone: ${JSON.stringify(baseOnly)})`);
    } finally {
      session.dispose();
    }
  }, 600_000);
});

describe.skipIf(python)('the model card’s Python', () => {
  it('is skipped', () => console.log('skip: set RECIPE_PYTHON to a python with torch, transformers, peft'));
});
