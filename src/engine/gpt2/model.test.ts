import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { readSafetensors, writeSafetensors } from '../safetensors';
import { tinyGpt2Config } from './config';
import { generate, sampleToken } from './generate';
import { loadGpt2, saveGpt2 } from './io';
import { Gpt2Model } from './model';
import { gpt2ParamShapes, initGpt2Weights } from './params';
import { Rng } from '../rng';

const config = tinyGpt2Config();

describe('GPT-2 parameters', () => {
  it('uses HF names, Conv1D layouts and state_dict order', () => {
    const names = gpt2ParamShapes(config).map(([n, s]) => `${n} [${s}]`);
    expect(names.slice(0, 6)).toEqual([
      'transformer.wte.weight [11,16]',
      'transformer.wpe.weight [8,16]',
      'transformer.h.0.ln_1.weight [16]',
      'transformer.h.0.ln_1.bias [16]',
      'transformer.h.0.attn.c_attn.weight [16,48]',
      'transformer.h.0.attn.c_attn.bias [48]',
    ]);
    expect(names).toContain('transformer.h.1.mlp.c_proj.weight [64,16]');
    expect(names.at(-1)).toBe('transformer.ln_f.bias [16]');
  });

  it('init: seeded, N(0, 0.02) weights, c_proj scaled by 1/√(2·n_layer), LN = (1, 0)', () => {
    const big = tinyGpt2Config({ n_embd: 64, n_head: 4, vocab_size: 300 });
    const a = initGpt2Weights(big, 1);
    expect(initGpt2Weights(big, 1).get('transformer.wte.weight')!.data).toEqual(a.get('transformer.wte.weight')!.data);
    const std = (d: Float32Array) => Math.sqrt(d.reduce((s, v) => s + v * v, 0) / d.length);
    expect(std(a.get('transformer.wte.weight')!.data)).toBeCloseTo(0.02, 3);
    expect(std(a.get('transformer.h.0.mlp.c_proj.weight')!.data)).toBeCloseTo(0.01, 3);
    expect(a.get('transformer.h.0.ln_1.weight')!.data.every((v) => v === 1)).toBe(true);
    expect(a.get('transformer.h.0.attn.c_attn.bias')!.data.every((v) => v === 0)).toBe(true);
  });
});

describe.each(['cpu', 'wasm'] as const)('GPT-2 model on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it('model.safetensors + config.json round trip is bit-exact', async () => {
    const before = tf.memory().numTensors;
    const model = Gpt2Model.random(config, 3);
    const saved = await saveGpt2(model);
    const loaded = loadGpt2(saved.safetensors, saved.configJson);
    const again = await saveGpt2(loaded);
    loaded.dispose();
    expect(Buffer.from(again.safetensors).equals(Buffer.from(saved.safetensors))).toBe(true);
    expect(again.configJson).toBe(saved.configJson);
    const file = readSafetensors(saved.safetensors);
    expect(file.metadata).toEqual({ format: 'pt' });
    expect([...file.tensors.keys()]).toEqual(gpt2ParamShapes(config).map(([n]) => n));
    expect(file.tensors.get('transformer.wpe.weight')!.data).toEqual(
      initGpt2Weights(config, 3).get('transformer.wpe.weight')!.data,
    );
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('loads hub-style names (no "transformer." prefix, mask buffers, tied lm_head) and reports bad files by name', async () => {
    const w = initGpt2Weights(config, 2);
    const hub = new Map([...w].map(([n, t]) => [n.replace(/^transformer\./, ''), t]));
    hub.set('h.0.attn.bias', { shape: [1, 1, 8, 8], data: new Float32Array(64) });
    hub.set('lm_head.weight', w.get('transformer.wte.weight')!);
    const model = loadGpt2(writeSafetensors(hub), config);
    const ref = Gpt2Model.fromWeights(config, w);
    const ids = Int32Array.from([1, 2, 3, 4]);
    expect((await model.logits(ids, 1, 4)).data).toEqual((await ref.logits(ids, 1, 4)).data);
    model.dispose();
    ref.dispose();
    const missing = new Map(w);
    missing.delete('transformer.h.1.ln_2.bias');
    expect(() => Gpt2Model.fromWeights(config, missing)).toThrow(/missing transformer\.h\.1\.ln_2\.bias/);
    const wrong = new Map(w);
    wrong.set('transformer.h.0.attn.c_attn.weight', { shape: [48, 16], data: new Float32Array(768) });
    expect(() => Gpt2Model.fromWeights(config, wrong)).toThrow(
      /c_attn\.weight has shape \[48, 16\], config\.json implies \[16, 48\]/,
    );
    const extra = new Map(w);
    extra.set('transformer.h.2.ln_1.weight', { shape: [16], data: new Float32Array(16) });
    expect(() => Gpt2Model.fromWeights(config, extra)).toThrow(/unexpected transformer\.h\.2\.ln_1\.weight/);
  });

  it('causal: logits at position t do not depend on later tokens', async () => {
    const model = Gpt2Model.random(config, 3);
    const a = await model.logits(Int32Array.from([1, 2, 3, 4, 5]), 1, 5);
    const b = await model.logits(Int32Array.from([1, 2, 3, 9, 0]), 1, 5);
    expect(a.data.slice(0, 3 * 11)).toEqual(b.data.slice(0, 3 * 11));
    expect(a.data.slice(3 * 11)).not.toEqual(b.data.slice(3 * 11));
    model.dispose();
  });

  it('bad batches get specific messages', async () => {
    const model = Gpt2Model.random(config, 3);
    const ok = { input: new Int32Array(4), target: new Int32Array(4), batch: 1, seq: 4 };
    await expect(model.loss({ ...ok, input: Int32Array.from([0, 1, 11, 2]) })).rejects.toThrow(
      /input\[2\] = 11 is outside the vocabulary \[0, 11\)/,
    );
    await expect(model.loss({ ...ok, mask: new Float32Array(4) })).rejects.toThrow(/mask selects no position/);
    await expect(model.loss({ input: new Int32Array(9), target: new Int32Array(9), batch: 1, seq: 9 })).rejects.toThrow(
      /exceeds the model's n_positions 8/,
    );
    model.dispose();
  });

  it('generation: greedy follows argmax, sampling is seeded, the adapter switch works', async () => {
    const before = tf.memory().numTensors;
    const model = Gpt2Model.random(config, 3);
    const greedy = await generate(model, [1, 2], { maxNewTokens: 4, temperature: 0 });
    const logits = await model.logits(Int32Array.from([1, 2, 0, 0, 0, 0, 0, 0]), 1, 8);
    const row = logits.data.slice(11, 22);
    expect(greedy[0]).toBe(row.indexOf(Math.max(...row)));
    const s1 = await generate(model, [1], { maxNewTokens: 10, temperature: 1, topK: 3, seed: 5 });
    expect(await generate(model, [1], { maxNewTokens: 10, temperature: 1, topK: 3, seed: 5 })).toEqual(s1);
    expect(s1).toHaveLength(10);
    // A long prompt slides through the window.
    expect(await generate(model, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { maxNewTokens: 3, temperature: 0 })).toHaveLength(3);
    await model.adapters.add('a', { r: 2, init_lora_weights: false }, 1);
    const base = await generate(model, [1, 2], { maxNewTokens: 4, temperature: 0, useAdapter: false });
    expect(base).toEqual(greedy);
    await expect(generate(model, [], { maxNewTokens: 1 })).rejects.toThrow(/prompt is empty/);
    await expect(generate(model, [12], { maxNewTokens: 1 })).rejects.toThrow(/outside the vocabulary/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('sampleToken', () => {
  it('top-k = 1 is greedy; temperature → 0 is greedy; samples follow softmax', () => {
    const rng = new Rng(1);
    const logits = [0, Math.log(3), 0, -Infinity];
    expect(sampleToken(logits, 0, 0, rng)).toBe(1);
    expect(sampleToken(logits, 1, 1, rng)).toBe(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 5000; i++) counts[sampleToken(logits, 1, 0, rng)]++;
    expect(counts[1] / 5000).toBeCloseTo(0.6, 1);
    expect(counts[3]).toBe(0);
  });
});
