import { describe, expect, it } from 'vitest';
import { hfToGgufName } from '../formats/names';
import { readAdapter } from '../formats/read';
import {
  denseDelta,
  ggufFile,
  kohyaFile,
  llamaModules,
  lowRankModule,
  mlxFiles,
  peftFiles,
  type TestModule,
} from '../testing/adapterFiles';
import { frobenius, svdHost } from '../lora/hostMath';
import { writeSafetensors } from '../safetensors';
import { inspectAdapter } from './inspect';

const rank3 = lowRankModule('model.layers.0.self_attn.q_proj', 40, 24, 8, 3, 7);

/** The report's numbers for one module against the dense float64 ΔW. */
function expectKnown(
  stats: { singularValues: number[]; frobenius: number; numericalRank: number },
  m: TestModule,
  s: number,
) {
  const d = denseDelta(m, s);
  const S = svdHost(d, m.dOut, m.dIn).S;
  expect(stats.numericalRank).toBe(3);
  expect(stats.singularValues).toHaveLength(8);
  for (let i = 0; i < 3; i++) expect(stats.singularValues[i] / S[i]).toBeCloseTo(1, 12);
  expect(stats.frobenius / frobenius(d)).toBeCloseTo(1, 12);
}

describe('inspectAdapter: a rank-3 ΔW stored at r = 8 in every format', () => {
  it('PEFT (α/r = 16/8)', async () => {
    const r = inspectAdapter(
      await readAdapter(peftFiles([rank3], { r: 8, lora_alpha: 16, target_modules: ['q_proj'] })),
    );
    expect(r.family.id).toBe('llama');
    expect(r.family.loadable).toBe(true);
    expectKnown(r.modules[0], rank3, 2);
    expect(r.modules[0].stableRank).toBeGreaterThanOrEqual(1);
    expect(r.modules[0].stableRank).toBeLessThanOrEqual(3);
    expect(r.modules[0].energy99).toBeLessThanOrEqual(3);
    expect(r.modules[0].effectiveRank).toBeLessThanOrEqual(3 + 1e-6);
  });

  it('MLX (scale = 20, multiplied directly)', async () => {
    const r = inspectAdapter(await readAdapter(mlxFiles([rank3], 20)));
    expectKnown(r.modules[0], rank3, 20);
  });

  it('GGUF F32 (alpha/r = 4/8)', async () => {
    const bytes = ggufFile([{ ...rank3, name: hfToGgufName(rank3.name)! }], { architecture: 'llama', alpha: 4 });
    const r = inspectAdapter(await readAdapter(new Map([['x.gguf', bytes]])));
    expect(r.family.evidence).toMatch(/general\.architecture = "llama"/);
    expectKnown(r.modules[0], rank3, 0.5);
  });

  it('kohya (alpha/r = 1/8)', async () => {
    const m = { ...rank3, name: 'lora_te_text_model_encoder_layers_0_self_attn_q_proj', alpha: 1 };
    const r = inspectAdapter(await readAdapter(new Map([['style.safetensors', kohyaFile([m])]])));
    expect(r.family.id).toBe('stable-diffusion');
    expect(r.family.loadable).toBe(false);
    expectKnown(r.modules[0], m, 1 / 8);
    expect(r.modules[0].layer).toBe('te 0');
    expect(r.modules[0].type).toBe('self_attn_q_proj');
  });
});

describe('real-world layouts', () => {
  it('GPT-2 with target_modules ["c_attn", "c_proj"]: both c_proj layers, Conv1D fan_in_fan_out', async () => {
    const mods = [0, 1].flatMap((l) => [
      lowRankModule(`transformer.h.${l}.attn.c_attn`, 48, 16, 4, 4, l + 1),
      lowRankModule(`transformer.h.${l}.attn.c_proj`, 16, 16, 4, 4, l + 3),
      lowRankModule(`transformer.h.${l}.mlp.c_proj`, 16, 64, 4, 4, l + 5),
    ]);
    const ok = inspectAdapter(
      await readAdapter(
        peftFiles(mods, { r: 4, lora_alpha: 8, fan_in_fan_out: true, target_modules: ['c_attn', 'c_proj'] }),
      ),
    );
    expect(ok.family.id).toBe('gpt2');
    expect(ok.lints.filter((l) => l.severity !== 'info')).toEqual([]);
    expect(ok.grid.layers).toEqual(['0', '1']);
    expect(ok.grid.types).toEqual(['attn.c_attn', 'attn.c_proj', 'mlp.c_proj']);
    expect(ok.grid.norm[1][2]).toBeCloseTo(ok.modules[5].frobenius, 12);
    const wrong = inspectAdapter(
      await readAdapter(peftFiles(mods, { r: 4, fan_in_fan_out: false, target_modules: ['c_attn', 'c_proj'] })),
    );
    expect(wrong.lints.find((l) => l.id === 'fan-in-fan-out')?.fix).toMatch(/"fan_in_fan_out": true/);
  });

  it('SEQ_CLS with a score head: the head is listed as an extra tensor, not a module', async () => {
    const mods = [lowRankModule('model.layers.0.self_attn.q_proj', 16, 16, 4, 4, 1)];
    const files = peftFiles(mods, { task_type: 'SEQ_CLS', r: 4, target_modules: ['q_proj'] });
    const { readSafetensors } = await import('../safetensors');
    const t = readSafetensors(files.get('adapter_model.safetensors')!).tensors;
    t.set('base_model.model.score.weight', { shape: [2, 16], data: new Float32Array(32).fill(0.5), dtype: 'F32' });
    files.set('adapter_model.safetensors', writeSafetensors(t));
    const r = inspectAdapter(await readAdapter(files));
    expect(r.modules).toHaveLength(1);
    expect(r.extras).toEqual([{ key: 'base_model.model.score.weight', shape: [2, 16] }]);
    const lint = r.lints.find((l) => l.id === 'extra-tensors')!;
    expect(lint.message).toMatch(/task head for SEQ_CLS/);
  });
});

describe('lints', () => {
  it('config r ≠ tensor r, target_modules matching nothing, fan_in_fan_out on Linear layers', async () => {
    const mods = llamaModules(1, 16, 8, 24, 4);
    const r = inspectAdapter(
      await readAdapter(peftFiles(mods, { r: 8, target_modules: ['c_attn'], fan_in_fan_out: true })),
    );
    const ids = r.lints.map((l) => `${l.severity}:${l.id}`);
    expect(ids).toEqual(
      expect.arrayContaining(['error:rank-mismatch', 'error:target-modules', 'error:fan-in-fan-out']),
    );
    expect(r.lints.find((l) => l.id === 'rank-mismatch')!.fix).toBe('Set "r": 4 in adapter_config.json');
    expect(r.lints.find((l) => l.id === 'target-modules')!.fix).toMatch(/q_proj/);
    // Errors come first.
    expect(r.lints[0].severity).toBe('error');
  });

  it('non-finite values and float16 overflow', async () => {
    const bad = lowRankModule('model.layers.0.self_attn.v_proj', 8, 8, 2, 2, 3);
    bad.A[3] = NaN;
    const big = lowRankModule('model.layers.0.self_attn.q_proj', 8, 8, 2, 2, 4);
    big.B[0] = 1e5;
    const r = inspectAdapter(await readAdapter(peftFiles([bad, big], { r: 2 })));
    expect(r.modules[0].nonFinite).toBe(1);
    expect(r.modules[0].singularValues).toEqual([]);
    expect(r.lints.find((l) => l.id === 'non-finite')!.severity).toBe('error');
    expect(r.lints.find((l) => l.id === 'f16-overflow')!.message).toMatch(/65504/);
  });

  it('MLX: keys that match nothing and a rank that disagrees', async () => {
    const mods = llamaModules(1, 16, 8, 24, 4).slice(0, 2);
    const files = mlxFiles(mods, 10, {
      lora_parameters: { rank: 16, scale: 10, dropout: 0, keys: ['self_attn.q_proj', 'attn.c_attn'] },
    });
    const r = inspectAdapter(await readAdapter(files));
    expect(r.lints.find((l) => l.id === 'rank-mismatch')!.fix).toBe('Set "rank": 4 in lora_parameters');
    expect(r.lints.find((l) => l.id === 'target-modules')!.message).toMatch(/attn\.c_attn/);
  });

  it('a test-sized all-linear Llama adapter is analysed with progress, within a generous bound', async () => {
    const mods = llamaModules(4, 64, 32, 160, 16);
    const parsed = await readAdapter(peftFiles(mods, { r: 16, lora_alpha: 32 }));
    const seen: number[] = [];
    const t0 = performance.now();
    const r = inspectAdapter(parsed, (done) => seen.push(done));
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(seen).toEqual(Array.from({ length: 28 }, (_, i) => i + 1));
    expect(r.grid.layers).toHaveLength(4);
    expect(r.grid.types).toHaveLength(7);
    expect(r.totals.params).toBe(mods.reduce((n, m) => n + m.r * (m.dIn + m.dOut), 0));
    expect(r.modules.every((m) => m.numericalRank === 3)).toBe(true);
  });
});
