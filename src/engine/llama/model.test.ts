import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { Rng } from '../rng';
import { compareToReference, type ReferenceFns } from '../models/referenceCheck';
import { refLlamaLogits, refLlamaLoraGradients, refLlamaLoss } from '../reference/llama';
import { LmTrainer } from '../train/lmTrainer';
import type { TokenBatch } from '../types';
import type { TensorMap } from '../types';
import { tinyLlamaConfig, type LlamaConfig } from './config';
import { LlamaModel } from './model';
import { initLlamaWeights, llamaParamShapes } from './params';

const CONFIGS: [string, LlamaConfig][] = [
  ['MHA, tied', tinyLlamaConfig({ num_key_value_heads: 4, tie_word_embeddings: true })],
  ['GQA 4/2, untied', tinyLlamaConfig()],
  [
    'GQA 4/1 (MQA), tied, llama3 rope',
    tinyLlamaConfig({
      num_key_value_heads: 1,
      tie_word_embeddings: true,
      rope_theta: 500000,
      rope_scaling: {
        rope_type: 'llama3',
        factor: 8,
        low_freq_factor: 1,
        high_freq_factor: 4,
        original_max_position_embeddings: 8,
      },
    }),
  ],
  [
    'qwen2: q/k/v biases, GQA, tied',
    tinyLlamaConfig({ model_type: 'qwen2', qkv_bias: true, tie_word_embeddings: true }),
  ],
  [
    'attention_bias + mlp_bias, head_dim ≠ hidden/heads',
    tinyLlamaConfig({ qkv_bias: true, o_bias: true, mlp_bias: true, head_dim: 6 }),
  ],
];

/** Weights with enough signal that a wrong norm, bias, rotation or head shows in the logits. */
const testWeights = (c: LlamaConfig, seed: number): TensorMap =>
  initLlamaWeights(c, seed, { std: 0.3, randomNorms: true, randomBiases: true });

/** Rounds every weight to the nearest bfloat16 (what a BF16 checkpoint holds). */
function toBf16(w: TensorMap): TensorMap {
  const out: TensorMap = new Map();
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (const [n, t] of w) {
    const data = t.data.map((v) => {
      f[0] = v;
      u[0] = (u[0] + 0x7fff + ((u[0] >> 16) & 1)) & 0xffff0000; // round to nearest even
      return f[0];
    });
    out.set(n, { shape: t.shape, data });
  }
  return out;
}

function batchOf(c: LlamaConfig, B = 2, T = 5, seed = 1): TokenBatch {
  const rng = new Rng(seed);
  const input = new Int32Array(B * T).map(() => rng.int(c.vocab_size));
  const target = new Int32Array(B * T).map(() => rng.int(c.vocab_size));
  return { input, target, batch: B, seq: T };
}

const refOf = (c: LlamaConfig): ReferenceFns => ({
  logits: (w, l, ids, B, T) => refLlamaLogits(c, w, l, ids, B, T),
  loss: (w, l, b) => refLlamaLoss(c, w, l, b),
  grads: (w, l, b) => refLlamaLoraGradients(c, w, l, b),
});

describe('Llama parameters', () => {
  it('HF names, nn.Linear layouts [d_out, d_in], state_dict order; lm_head only when untied', () => {
    const names = llamaParamShapes(tinyLlamaConfig()).map(([n, s]) => `${n} [${s}]`);
    expect(names.slice(0, 5)).toEqual([
      'model.embed_tokens.weight [13,16]',
      'model.layers.0.self_attn.q_proj.weight [16,16]',
      'model.layers.0.self_attn.k_proj.weight [8,16]',
      'model.layers.0.self_attn.v_proj.weight [8,16]',
      'model.layers.0.self_attn.o_proj.weight [16,16]',
    ]);
    expect(names).toContain('model.layers.1.mlp.down_proj.weight [16,24]');
    expect(names.slice(-2)).toEqual(['model.norm.weight [16]', 'lm_head.weight [13,16]']);
    const tied = llamaParamShapes(tinyLlamaConfig({ tie_word_embeddings: true, model_type: 'qwen2', qkv_bias: true }));
    expect(tied.at(-1)![0]).toBe('model.norm.weight');
    expect(tied.map(([n]) => n)).toContain('model.layers.0.self_attn.k_proj.bias');
    expect(tied.map(([n]) => n)).not.toContain('model.layers.0.self_attn.o_proj.bias');
  });
});

describe.each(['cpu', 'wasm'] as const)('Llama model on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it.each([...CONFIGS, ['GQA 4/2, untied, BF16 weights', tinyLlamaConfig()] as [string, LlamaConfig]])(
    'logits and LoRA gradients match the float64 reference: %s',
    async (label, c) => {
      const before = tf.memory().numTensors;
      const w = label.includes('BF16') ? toBf16(testWeights(c, 3)) : testWeights(c, 3);
      const model = LlamaModel.fromWeights(c, w);
      await model.adapters.add(
        't',
        { r: 2, lora_alpha: 3, target_modules: 'all-linear', init_lora_weights: false, rank_pattern: { gate_proj: 3 } },
        5,
      );
      const err = await compareToReference(model, refOf(c), batchOf(c));
      console.log(
        `${backend} ${label}: maxLogitErr ${err.maxLogitErr.toExponential(2)}, maxGradErr ${err.maxGradErr.toExponential(2)}, lossErr ${err.lossErr.toExponential(2)}`,
      );
      expect(err.maxLogitErr).toBeLessThan(2e-5);
      expect(err.maxGradErr).toBeLessThan(2e-4);
      expect(err.lossErr).toBeLessThan(2e-5);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('B = 0 ⇒ exactly the base output; merged = unmerged; export → import is bit-exact', async () => {
    const c = CONFIGS[3][1];
    const model = LlamaModel.fromWeights(c, testWeights(c, 4));
    const b = batchOf(c, 1, 6);
    const base = await model.logits(b.input, 1, 6);
    await model.adapters.add('zero', { r: 4, target_modules: ['q_proj', 'v_proj', 'down_proj'] }, 1);
    expect((await model.logits(b.input, 1, 6)).data).toEqual(base.data);
    await model.adapters.add('random', { r: 2, target_modules: 'all-linear', init_lora_weights: false }, 2);
    const unmerged = await model.logits(b.input, 1, 6);
    expect(unmerged.data).not.toEqual(base.data);
    model.adapters.merge('random');
    const merged = await model.logits(b.input, 1, 6);
    let diff = 0;
    for (let i = 0; i < merged.data.length; i++) diff = Math.max(diff, Math.abs(merged.data[i] - unmerged.data[i]));
    console.log(`${backend}: max |merged − unmerged| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-5);
    const exported = await model.exportWeights();
    expect([...exported.keys()]).toEqual(llamaParamShapes(c).map(([n]) => n));
    const again = LlamaModel.fromWeights(c, exported);
    expect((await again.logits(b.input, 1, 6)).data).toEqual(
      (await model.logits(b.input, 1, 6, { useAdapter: false })).data,
    );
    again.dispose();
    model.dispose();
  });

  it('LoRA training lowers the loss, leaves the base bit-identical, keeps the tensor count flat', async () => {
    const start = tf.memory().numTensors;
    const c = CONFIGS[1][1];
    const model = LlamaModel.fromWeights(c, testWeights(c, 6));
    const base = await model.exportWeights();
    await model.adapters.add('a', { r: 4, lora_alpha: 8, target_modules: 'all-linear', lora_dropout: 0.1 }, 2);
    const trainer = new LmTrainer(model, { mode: 'lora', learningRate: 3e-2, totalSteps: 40, seed: 1 });
    const batch = batchOf(c, 2, 8, 7);
    const first = await trainer.step(batch);
    const counts: number[] = [];
    let last = first;
    for (let i = 0; i < 39; i++) counts.push((last = await trainer.step(batch)).numTensors);
    console.log(
      `${backend}: loss ${first.loss.toFixed(3)} → ${last.loss.toFixed(3)}, ${last.msPerStep.toFixed(1)} ms/step`,
    );
    expect(last.loss).toBeLessThan(first.loss * 0.7);
    expect(counts[0]).toBe(counts.at(-1));
    const after = await model.exportWeights();
    for (const [n, t] of base)
      expect(Buffer.from(after.get(n)!.data.buffer).equals(Buffer.from(t.data.buffer))).toBe(true);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('full fine-tuning trains every weight (tied head and embedding included) and leaves the source untouched', async () => {
    const start = tf.memory().numTensors;
    const c = CONFIGS[0][1];
    const model = LlamaModel.fromWeights(c, testWeights(c, 8));
    const base = await model.exportWeights();
    const trainer = new LmTrainer(model, { mode: 'full', learningRate: 1e-2, totalSteps: 10 });
    const batch = batchOf(c, 2, 8, 9);
    const first = await trainer.step(batch);
    let last = first;
    for (let i = 0; i < 9; i++) last = await trainer.step(batch);
    expect(last.loss).toBeLessThan(first.loss);
    const trained = (await trainer.snapshot()) as TensorMap;
    expect(trained.get('model.embed_tokens.weight')!.data).not.toEqual(base.get('model.embed_tokens.weight')!.data);
    expect(trained.get('model.layers.0.self_attn.q_proj.weight')!.shape).toEqual([16, 16]);
    const source = await model.exportWeights();
    for (const [n, t] of base) expect(source.get(n)!.data).toEqual(t.data);
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('causal, and bad input is refused by name', async () => {
    const c = CONFIGS[1][1];
    const model = LlamaModel.fromWeights(c, testWeights(c, 1));
    const a = await model.logits(Int32Array.from([1, 2, 3, 4, 5]), 1, 5);
    const b = await model.logits(Int32Array.from([1, 2, 3, 9, 0]), 1, 5);
    expect(a.data.slice(0, 3 * 13)).toEqual(b.data.slice(0, 3 * 13));
    expect(a.data.slice(3 * 13)).not.toEqual(b.data.slice(3 * 13));
    await expect(model.loss({ input: new Int32Array(9), target: new Int32Array(9), batch: 1, seq: 9 })).rejects.toThrow(
      /exceeds the model's max_position_embeddings 8/,
    );
    const w = testWeights(c, 1);
    w.delete('model.layers.1.mlp.up_proj.weight');
    expect(() => LlamaModel.fromWeights(c, w)).toThrow(
      /Llama weights do not match config\.json: missing model\.layers\.1\.mlp\.up_proj\.weight/,
    );
    const wrong = testWeights(c, 1);
    wrong.set('model.layers.0.self_attn.k_proj.weight', { shape: [16, 8], data: new Float32Array(128) });
    expect(() => LlamaModel.fromWeights(c, wrong)).toThrow(
      /k_proj\.weight has shape \[16, 8\], config\.json implies \[8, 16\]/,
    );
    model.dispose();
  });
});
