import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tinyGpt2Config } from '../gpt2/config';
import { saveGpt2 } from '../gpt2/io';
import { Gpt2Model } from '../gpt2/model';
import { readSafetensors } from '../safetensors';
import type { DataManifest } from '../data/tasks';
import { DEFAULT_LORA_CONFIG } from '../lora/types';
import { LmSession } from './lmSession';

const dataDir = new URL('../../../public/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as DataManifest;

describe('AdapterWorkspace.baseWeight', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('hands out W₀ of one layer as plain data, as the checkpoint stores it; refuses while an adapter is merged', async () => {
    const config = tinyGpt2Config({
      vocab_size: manifest.vocabSize,
      n_positions: 16,
      n_embd: 16,
      n_layer: 2,
      n_head: 2,
    });
    const m = Gpt2Model.random(config, 4);
    const saved = await saveGpt2(m);
    m.dispose();
    const s = LmSession.open({
      name: 't',
      config: saved.configJson,
      weights: saved.safetensors,
      tokenizer: read(manifest.tokenizer),
    });
    const file = readSafetensors(saved.safetensors).tensors;
    const got = await s.workspace.baseWeight('transformer.h.1.attn.c_attn');
    expect(got.layout).toBe('inOut');
    expect(got.weight.shape).toEqual([16, 48]); // Conv1D [d_in, d_out]
    expect(got.weight.data).toEqual(file.get('transformer.h.1.attn.c_attn.weight')!.data);
    await expect(s.workspace.baseWeight('transformer.h.9.attn.c_attn')).rejects.toThrow(/no adaptable layer named/);

    // A hand-made adapter with B ≠ 0, merged: W on the device then holds ΔW too.
    s.workspace.restoreAdapter('x', {
      config: { ...structuredClone(DEFAULT_LORA_CONFIG), r: 2, lora_alpha: 2, target_modules: ['c_attn'] },
      modules: new Map([
        [
          'transformer.h.1.attn.c_attn',
          {
            A: { shape: [2, 16], data: new Float32Array(32).fill(0.1) },
            B: { shape: [48, 2], data: new Float32Array(96).fill(0.1) },
            r: 2,
            alpha: 2,
            scaling: 1,
          },
        ],
      ]),
    });
    s.workspace.merge('x');
    await expect(s.workspace.baseWeight('transformer.h.1.attn.c_attn')).rejects.toThrow(/x is merged into the base/);
    s.workspace.unmerge('x');
    const back = await s.workspace.baseWeight('transformer.h.1.attn.c_attn');
    expect(Math.max(...back.weight.data.map((v, i) => Math.abs(v - got.weight.data[i])))).toBeLessThan(1e-6);
    s.dispose();
  });
});
