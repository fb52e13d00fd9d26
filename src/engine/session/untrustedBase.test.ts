/** Issue 12: absurd or mixed-up base model files are refused by LmSession.open at once, changing nothing. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import type { DataManifest } from '../data/tasks';
import { tinyGpt2Config } from '../gpt2/config';
import { saveGpt2 } from '../gpt2/io';
import { Gpt2Model } from '../gpt2/model';
import { tf } from '../tf';
import { randomAdapter } from '../testing/testAdapter';
import { UserFacingError } from '../types';
import { LmSession } from './lmSession';
import type { BaseFiles } from './types';

const dataDir = new URL('../../../public/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as DataManifest;
const tokenizer = read(manifest.tokenizer);
const enc = (s: string) => new TextEncoder().encode(s);

async function tinyFiles(): Promise<BaseFiles> {
  const config = tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 16, n_embd: 16, n_layer: 2, n_head: 2 });
  const m = Gpt2Model.random(config, 1);
  const { safetensors, configJson } = await saveGpt2(m);
  m.dispose();
  return { name: 'tiny', config: configJson, weights: safetensors, tokenizer };
}

/** Opens and expects a refusal, in under `ms`, with no tensor left behind. */
function refusedFast(files: BaseFiles, message: RegExp, ms = 1000): number {
  const before = tf.memory();
  const t0 = performance.now();
  let error: unknown;
  try {
    LmSession.open(files).dispose();
  } catch (e) {
    error = e;
  }
  const took = performance.now() - t0;
  expect(error).toBeInstanceOf(UserFacingError);
  expect((error as Error).message).toMatch(message);
  expect(took).toBeLessThan(ms);
  expect(tf.memory().numTensors).toBe(before.numTensors);
  expect(tf.memory().numBytes).toBe(before.numBytes);
  return took;
}

describe('LmSession.open on untrusted base files (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('n_layer 1e8 and 1e15 are refused in well under a second, allocating nothing', async () => {
    const files = await tinyFiles();
    const withLayers = (n: number) => ({
      ...files,
      config: JSON.stringify({ ...JSON.parse(files.config), n_layer: n }),
    });
    const times = [1e8, 1e15].map((n) =>
      refusedFast(
        withLayers(n),
        new RegExp(`"n_layer" is ${n}, but at most 1,024 layers can be held in a browser tab`),
      ),
    );
    // within the per-field bounds but not in a tab: the closed-form estimate answers, with the limit
    times.push(
      refusedFast(
        { ...files, config: JSON.stringify({ ...JSON.parse(files.config), n_layer: 1024, n_embd: 2048, n_head: 16 }) },
        /describes 5\.\d+e\+10 parameters, .* GiB as float32: over the 4\.0 GiB a browser tab can hold here/,
      ),
    );
    // a config bigger than its file: refused before a byte of the weights is decoded
    times.push(
      refusedFast(
        { ...files, config: JSON.stringify({ ...JSON.parse(files.config), n_layer: 40 }) },
        /config\.json describes [\d,]+ parameters .* but the weights file is only .*: they do not belong together/,
      ),
    );
    console.info(`LmSession.open refusals: ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
  });

  it('names files given in the wrong place: an LFS pointer as weights, vocab.json as tokenizer.json', async () => {
    const files = await tinyFiles();
    const pointer = enc('version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 548105171\n');
    refusedFast({ ...files, weights: pointer }, /this is a Git LFS pointer .*git lfs pull/);
    const vocab = JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, i])));
    refusedFast({ ...files, tokenizer: vocab }, /tokenizer\.json: this is a vocab\.json/);
    refusedFast({ ...files, tokenizer: files.config }, /tokenizer\.json: this is a model's config\.json/);
    refusedFast({ ...files, config: tokenizer }, /config\.json: this is a tokenizer\.json, not config\.json/);
  });

  it('rejected adapters leave the loaded base and adapters untouched', async () => {
    const s = LmSession.open(await tinyFiles());
    const modules = new Map(s.summary().modules.map((m) => [m.name, { dIn: m.dIn, dOut: m.dOut }]));
    s.workspace.restoreAdapter(
      'good',
      randomAdapter({ modules, modelType: 'gpt2' }, { r: 2, target_modules: ['c_attn'] }, 3),
    );
    const good = await s.workspace.exportAdapterFiles('good');
    const nll = await s.score('hello', true); // first, so that any tensor it caches is counted below
    const before = { adapters: s.workspace.adapters(), memory: tf.memory().numTensors, nll };
    const map = (config: Record<string, unknown>, weights = good['adapter_model.safetensors']) =>
      new Map([
        ['adapter_model.safetensors', weights],
        ['adapter_config.json', enc(JSON.stringify({ ...JSON.parse(good['adapter_config.json']), ...config }))],
      ]);
    for (const [files, message] of [
      [map({ lora_alpha: 1e30 }), /ΔW = s·B·A can reach/],
      [map({ lora_alpha: 1e308 }), /not a finite float32 number/],
      [map({ layers_to_transform: [5] }), /PEFT would apply none/],
      [map({ target_modules: '(?!x).*' }), /uses a lookahead/],
      [map({}, enc('version https://git-lfs.github.com/spec/v1\n')), /Git LFS pointer/],
    ] as [Map<string, Uint8Array>, RegExp][]) {
      expect(() => s.workspace.importAdapterFiles('bad', files)).toThrow(message);
    }
    expect(s.workspace.adapters()).toEqual(before.adapters);
    expect(tf.memory().numTensors).toBe(before.memory);
    expect(await s.score('hello', true)).toEqual(before.nll);
    const seq = s.workspace.importAdapterFiles('cls', map({ task_type: 'SEQ_CLS', layers_to_transform: [1] }));
    expect(seq.warnings.join('\n')).toMatch(/task_type is SEQ_CLS .*its task head .* is not/);
    expect(seq.warnings.join('\n')).toMatch(/left out, as PEFT would \(layers_to_transform is \[1\]\)/);
    expect(s.workspace.adapters().find((a) => a.name === 'cls')!.modules).toBe(1);
    s.dispose();
  });
});
