import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { tinyGpt2Config } from '../gpt2/config';
import { Gpt2Model } from '../gpt2/model';
import { loraGradients } from '../train/gradients';
import { selfTestSetup } from '../bench/selfTest';
import { adapterParamCount } from './match';
import { gpt2Linears } from '../gpt2/params';
import { matmulHost, transposeHost } from './hostMath';
import { DEFAULT_LORA_CONFIG } from './types';

const config = tinyGpt2Config();
const { batch } = selfTestSetup();
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};
const maxAbs = (a: ArrayLike<number>) => maxAbsDiff(a, new Float32Array(a.length));
const logits = (m: Gpt2Model, useAdapter = true) => m.logits(batch.input, batch.batch, batch.seq, { useAdapter });

describe.each(['cpu', 'wasm'] as const)('LoRA adapters on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it('B = 0 ⇒ adapted logits equal the base logits exactly', async () => {
    const model = Gpt2Model.random(config, 1);
    const base = await logits(model);
    await model.adapters.add('a', { target_modules: 'all-linear', r: 4, lora_alpha: 8 }, 2);
    const adapted = await logits(model);
    expect(maxAbsDiff(adapted.data, base.data)).toBe(0);
    model.dispose();
  });

  it('with B = 0 the gradient of A is exactly 0 and the gradient of B is not', async () => {
    const model = Gpt2Model.random(config, 1);
    await model.adapters.add('a', { target_modules: ['c_attn', 'c_fc'], r: 4 }, 2);
    const g = await loraGradients(model, batch);
    for (const m of g.modules.values()) {
      expect(maxAbs(m.A.data)).toBe(0);
      expect(maxAbs(m.B.data)).toBeGreaterThan(1e-6);
    }
    model.dispose();
  });

  it('merged logits equal unmerged (1e-5 relative); unmerge restores W (1e-6)', async () => {
    const model = Gpt2Model.random(config, 3);
    const w0 = await model.exportWeights();
    await model.adapters.add(
      'a',
      { target_modules: ['c_attn', 'c_proj'], r: 2, lora_alpha: 4, init_lora_weights: false },
      4,
    );
    const unmerged = await logits(model);
    const base = await logits(model, false);
    expect(maxAbsDiff(unmerged.data, base.data)).toBeGreaterThan(1e-3); // the adapter does something
    model.adapters.merge('a');
    expect(model.adapters.isMerged('a')).toBe(true);
    const merged = await logits(model);
    const scale = Math.max(...Array.from(unmerged.data, Math.abs));
    expect(maxAbsDiff(merged.data, unmerged.data) / scale).toBeLessThan(1e-5);
    // W really changed by s·B·A (as [d_in, d_out] for Conv1D)
    const ad = (await model.adapters.export('a')).modules.get('transformer.h.0.attn.c_attn')!;
    const w1 = await model.weight('transformer.h.0.attn.c_attn.weight');
    const delta = transposeHost(matmulHost(ad.B.data, ad.A.data, 48, 2, 16), 48, 16); // [16, 48]
    const before = w0.get('transformer.h.0.attn.c_attn.weight')!.data;
    expect(
      maxAbsDiff(
        w1.data,
        before.map((v, i) => v + ad.scaling * delta[i]),
      ),
    ).toBeLessThan(1e-6);
    model.adapters.unmerge('a');
    const restored = await model.exportWeights();
    for (const [name, t] of w0) expect(maxAbsDiff(restored.get(name)!.data, t.data)).toBeLessThan(1e-6);
    model.dispose();
  });

  it('named adapters: add, set active, disable, delete; export/import round trip', async () => {
    const before = tf.memory().numTensors;
    const model = Gpt2Model.random(config, 5);
    const base = await logits(model);
    await model.adapters.add('x', { r: 2, init_lora_weights: false }, 1);
    await model.adapters.add('y', { r: 3, target_modules: ['c_fc'], init_lora_weights: false }, 2);
    expect(model.adapters.names()).toEqual(['x', 'y']);
    expect(model.adapters.active).toBe('y');
    const ly = await logits(model);
    model.adapters.setActive('x');
    const lx = await logits(model);
    expect(maxAbsDiff(lx.data, ly.data)).toBeGreaterThan(1e-4);
    model.adapters.disable();
    expect(maxAbsDiff((await logits(model)).data, base.data)).toBe(0);
    const exported = await model.adapters.export('x');
    expect(exported.modules.get('transformer.h.1.attn.c_attn')!.A.shape).toEqual([2, 16]);
    expect(exported.modules.get('transformer.h.1.attn.c_attn')!.B.shape).toEqual([48, 2]);
    model.adapters.import('x2', exported);
    expect(maxAbsDiff((await logits(model)).data, lx.data)).toBe(0);
    expect(() => model.adapters.import('x2', exported)).toThrow(/already exists/);
    const bad = {
      ...exported,
      modules: new Map([['transformer.h.9.attn.c_attn', exported.modules.get('transformer.h.0.attn.c_attn')!]]),
    };
    expect(() => model.adapters.import('bad', bad)).toThrow(/transformer\.h\.9\.attn\.c_attn is not a linear layer/);
    model.adapters.delete('y');
    expect(() => model.adapters.setActive('y')).toThrow(/no adapter named "y"/);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('trainableParameters: active adapter trainable, all = base + every adapter', async () => {
    const model = Gpt2Model.random(config, 5);
    await model.adapters.add('x', { r: 2 }, 1);
    const x = adapterParamCount(gpt2Linears(config), { ...DEFAULT_LORA_CONFIG, r: 2 });
    expect(x).toBe(2 * 2 * (16 + 48));
    const tp = model.trainableParameters();
    expect(tp).toMatchObject({ trainable: x, all: model.baseParamCount() + x });
    expect(tp.line).toBe(
      `trainable params: 256 || all params: ${(model.baseParamCount() + x).toLocaleString('en-US')} || trainable%: ${((100 * x) / (model.baseParamCount() + x)).toFixed(4)}`,
    );
    model.dispose();
  });

  it('init: Kaiming-uniform A within ±1/√d_in; gaussian A has std 1/r; B = 0', async () => {
    const model = Gpt2Model.random(tinyGpt2Config({ n_embd: 64, n_head: 4 }), 1);
    await model.adapters.add('k', { r: 8, target_modules: ['c_fc'] }, 1);
    await model.adapters.add('g', { r: 4, target_modules: ['c_fc'], init_lora_weights: 'gaussian' }, 1);
    const k = (await model.adapters.export('k')).modules.get('transformer.h.0.mlp.c_fc')!;
    expect(maxAbs(k.A.data)).toBeLessThanOrEqual(1 / 8);
    expect(maxAbs(k.A.data)).toBeGreaterThan(0.9 / 8);
    expect(maxAbs(k.B.data)).toBe(0);
    const g = (await model.adapters.export('g')).modules.get('transformer.h.0.mlp.c_fc')!;
    const std = Math.sqrt(g.A.data.reduce((s, v) => s + v * v, 0) / g.A.data.length);
    expect(std).toBeGreaterThan(0.25 * 0.9);
    expect(std).toBeLessThan(0.25 * 1.1);
    expect(maxAbs(g.B.data)).toBe(0);
    model.dispose();
  });

  it('pissa: W_res + s·B·A = W, so the adapted model starts equal to the base (1e-5)', async () => {
    const model = Gpt2Model.random(config, 8);
    const base = await logits(model);
    const w0 = await model.weight('transformer.h.0.attn.c_proj.weight');
    await model.adapters.add('p', { r: 4, lora_alpha: 8, target_modules: ['c_proj'], init_lora_weights: 'pissa' }, 1);
    const adapted = await logits(model);
    expect(maxAbsDiff(adapted.data, base.data)).toBeLessThan(1e-5);
    const wRes = await model.weight('transformer.h.0.attn.c_proj.weight');
    expect(maxAbsDiff(wRes.data, w0.data)).toBeGreaterThan(1e-3); // the base really changed
    const m = (await model.adapters.export('p')).modules.get('transformer.h.0.attn.c_proj')!;
    expect(maxAbs(m.B.data)).toBeGreaterThan(0);
    model.dispose();
  });

  it("cat combination on the model: the new adapter's ΔW is Σ wᵢ·ΔWᵢ; svd reports its error", async () => {
    const model = Gpt2Model.random(config, 9);
    await model.adapters.add('a', { r: 2, lora_alpha: 4, init_lora_weights: false }, 1);
    await model.adapters.add('b', { r: 1, lora_alpha: 1, init_lora_weights: false }, 2);
    await model.adapters.combine(
      'ab',
      [
        { name: 'a', weight: 0.5 },
        { name: 'b', weight: 2 },
      ],
      'cat',
    );
    const path = 'transformer.h.1.attn.c_attn';
    const dw = async (n: string) => {
      const m = (await model.adapters.export(n)).modules.get(path)!;
      return matmulHost(m.B.data, m.A.data, 48, m.r, 16).map((v) => v * m.scaling);
    };
    const [a, b, ab] = [await dw('a'), await dw('b'), await dw('ab')];
    expect(
      maxAbsDiff(
        ab,
        a.map((v, i) => 0.5 * v + 2 * b[i]),
      ),
    ).toBeLessThan(1e-6);
    expect(model.adapters.active).toBe('ab');
    const { errors } = await model.adapters.combine('ab1', [{ name: 'ab', weight: 1 }], 'svd', 1);
    expect(errors!.get(path)!).toBeGreaterThan(0);
    model.dispose();
  });

  it('training a merged adapter is refused', async () => {
    const model = Gpt2Model.random(config, 8);
    await model.adapters.add('a', {}, 1);
    model.adapters.merge();
    expect(() => model.adapters.variables()).toThrow(/merged: unmerge it before training/);
    model.dispose();
  });
});
