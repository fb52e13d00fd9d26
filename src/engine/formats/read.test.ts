import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../safetensors';
import { zipFiles } from '../zip';
import { f16BitsToNumber } from '../safetensors';
import { bytesSource } from '../checkpoint/byteSource';
import { openAdapter, readAdapter, type AdapterFileInput } from './read';
import { decodeGgml, GGML_Q8_0 } from './ggufDecode';
import {
  f16Bits,
  ggufFile,
  kohyaFile,
  llamaModules,
  lowRankModule,
  mlxFiles,
  peftFiles,
  type TestModule,
} from '../testing/adapterFiles';
import { hfToGgufName } from './names';

const gpt2 = (layer: number): TestModule[] => [
  lowRankModule(`transformer.h.${layer}.attn.c_attn`, 48, 16, 4, 2, layer + 1),
  lowRankModule(`transformer.h.${layer}.attn.c_proj`, 16, 16, 4, 2, layer + 11),
];

const sameFactors = (got: { A: { data: Float32Array }; B: { data: Float32Array } }, m: TestModule) => {
  expect(Array.from(got.A.data)).toEqual(Array.from(m.A));
  expect(Array.from(got.B.data)).toEqual(Array.from(m.B));
};

describe('readAdapter: format detection and readers', () => {
  it('PEFT: two files, with the scaling PEFT applies (α/r, α/√r, alpha_pattern)', async () => {
    const mods = gpt2(0);
    const p = await readAdapter(
      peftFiles(mods, { r: 4, lora_alpha: 8, fan_in_fan_out: true, target_modules: ['c_attn', 'c_proj'] }),
    );
    expect(p.format).toBe('peft');
    expect(p.reasons.join(' ')).toMatch(/peft_type/);
    expect(p.modules.map((m) => m.name)).toEqual(mods.map((m) => m.name));
    expect(p.modules[0].scaling).toBe(2);
    expect(p.modules[0].scalingRule).toBe('α/r = 8/4');
    sameFactors(p.modules[0], mods[0]);
    const rs = await readAdapter(
      peftFiles(mods, { r: 4, lora_alpha: 8, use_rslora: true, alpha_pattern: { c_proj: 2 } }),
    );
    expect(rs.modules[0].scaling).toBe(8 / 2);
    expect(rs.modules[1].scaling).toBe(2 / 2);
  });

  it('PEFT in a zip with a folder, keys without prefix and with an adapter name: read, with lints', async () => {
    const mods = gpt2(1);
    const files = peftFiles(mods, { r: 4 }, (n, f) => `${n}.lora_${f}.default.weight`);
    const zip = zipFiles(Object.fromEntries([...files].map(([k, v]) => [`my-adapter/${k}`, v])));
    const p = await readAdapter(new Map([['my-adapter.zip', zip]]));
    expect(p.format).toBe('peft');
    expect(p.modules).toHaveLength(2);
    expect(p.lints.map((l) => l.id)).toEqual(expect.arrayContaining(['missing-prefix', 'adapter-name-in-key']));
    expect(p.lints.find((l) => l.id === 'adapter-name-in-key')!.fix).toMatch(/Remove "\.default"/);
  });

  it('MLX: lora_a [d_in, r] / lora_b [r, d_out] come back as PEFT’s A and B, s = scale', async () => {
    const mods = llamaModules(1, 16, 8, 24, 4);
    const p = await readAdapter(mlxFiles(mods, 20));
    expect(p.format).toBe('mlx');
    expect(p.reasons[0]).toMatch(/lora_parameters/);
    expect(p.modules).toHaveLength(7);
    expect(p.modules[0].scaling).toBe(20);
    expect(p.modules[0].scalingRule).toMatch(/scale = 20/);
    mods.forEach((m, i) => sameFactors(p.modules[i], m));
  });

  it('MLX GPT-2 names (model.h.N) map to transformers’ (transformer.h.N)', async () => {
    const mods = gpt2(0);
    const p = await readAdapter(mlxFiles(mods, 2, {}, (n) => n.replace(/^transformer\./, 'model.')));
    expect(p.modules.map((m) => m.name)).toEqual(mods.map((m) => m.name));
    expect(p.modules[0].key).toBe('model.h.0.attn.c_attn');
  });

  it('GGUF: F32, F16, BF16 and Q8_0 factors decode exactly; names map to HF; s = alpha/r', async () => {
    const mods = llamaModules(1, 32, 32, 64, 4);
    const tensors = mods.map((m) => ({ ...m, name: hfToGgufName(m.name)! }));
    for (const dtype of ['F32', 'F16', 'BF16', 'Q8_0'] as const) {
      const bytes = ggufFile(tensors, {
        architecture: 'qwen2',
        alpha: 8,
        dtype,
        dtypeB: dtype === 'Q8_0' ? 'F16' : dtype,
      });
      const p = await readAdapter(new Map([['adapter.gguf', bytes]]));
      expect(p.format).toBe('gguf');
      expect(p.architecture).toBe('qwen2');
      expect(p.modules.map((m) => m.name)).toEqual(mods.map((m) => m.name));
      expect(p.modules[0].scaling).toBe(2);
      expect(p.modules[0].stored.a).toEqual({ shape: [32, 4], dtype });
      const m0 = mods[0];
      const a = p.modules[0].A.data;
      if (dtype === 'F32') sameFactors(p.modules[0], m0);
      if (dtype === 'F16') expect(a[5]).toBe(f16BitsToNumber(f16Bits(m0.A[5])));
      if (dtype === 'BF16')
        expect(a[5]).toBe(
          new Float32Array(
            new Uint32Array([(new Uint32Array(Float32Array.of(m0.A[5]).buffer)[0] >>> 16) << 16]).buffer,
          )[0],
        );
      if (dtype === 'Q8_0') {
        // Dequantized values lie within half a step d/2 of the originals, d = max|x|/127 per block of 32.
        const amax = Math.max(...Array.from(m0.A.subarray(0, 32), Math.abs));
        for (let i = 0; i < 32; i++) expect(Math.abs(a[i] - m0.A[i])).toBeLessThanOrEqual(amax / 127 / 2 + 1e-3 * amax);
      }
    }
  });

  it('Q8_0 decodes d·q exactly (hand-made block)', () => {
    const block = new Uint8Array(34);
    new DataView(block.buffer).setUint16(0, f16Bits(0.125), true);
    for (let j = 0; j < 32; j++) new DataView(block.buffer).setInt8(2 + j, j - 16);
    expect(Array.from(decodeGgml(block, 0, 32, GGML_Q8_0))).toEqual(
      Array.from({ length: 32 }, (_, j) => (j - 16) * 0.125),
    );
  });

  it('kohya: per-module alpha (missing ⇒ s = 1), conv kernels flattened', async () => {
    const lin = {
      ...lowRankModule('lora_unet_down_blocks_0_attentions_0_transformer_blocks_0_attn1_to_q', 20, 20, 4, 2, 3),
      alpha: 2,
    };
    const conv = {
      ...lowRankModule('lora_unet_down_blocks_0_resnets_0_conv1', 8, 8 * 9, 4, 4, 4),
      kernel: [3, 3] as [number, number],
    };
    const te = lowRankModule('lora_te_text_model_encoder_layers_0_self_attn_q_proj', 16, 16, 4, 4, 5);
    const p = await readAdapter(new Map([['my_style.safetensors', kohyaFile([lin, conv, te])]]));
    expect(p.format).toBe('kohya');
    expect(p.modules.map((m) => [m.scaling, m.kind])).toEqual([
      [0.5, 'linear'],
      [1, 'conv'],
      [1, 'linear'],
    ]);
    expect(p.modules[1].A.shape).toEqual([4, 72]);
    expect(p.modules[1].kernel).toEqual([3, 3]);
    expect(p.metadata.ss_base_model_version).toBe('sd_v1');
  });

  it('a pickle is never opened: alone it is refused, beside safetensors it is a lint', async () => {
    await expect(readAdapter(new Map([['adapter_model.bin', new Uint8Array(0)]]))).rejects.toThrow(
      /pickle.*never opened/,
    );
    const files = peftFiles(gpt2(0), {});
    files.set('adapter_model.bin', new Uint8Array(0));
    const p = await readAdapter(files);
    expect(p.lints.find((l) => l.id === 'pickle')?.fix).toMatch(/safe_serialization=True/);
    expect(p.files.find((f) => f.path === 'adapter_model.bin')?.role).toMatch(/never opened/);
  });

  it('malformed files of each format get a message that names the problem', async () => {
    const st = peftFiles(gpt2(0), {}).get('adapter_model.safetensors')!;
    await expect(readAdapter(new Map([['adapter_model.safetensors', st.slice(0, st.length - 10)]]))).rejects.toThrow(
      /adapter_model\.safetensors: not a valid safetensors file/,
    );
    const g = ggufFile([{ ...gpt2(0)[1], name: 'blk.0.attn_output.weight' }], { architecture: 'llama', alpha: 4 });
    await expect(readAdapter(new Map([['a.gguf', g.slice(0, g.length - 64)]]))).rejects.toThrow(/runs past the end/);
    await expect(
      readAdapter(
        new Map([['a.gguf', Uint8Array.from([0x47, 0x47, 0x55, 0x46, 9, 0, 0, 0, ...new Array(40).fill(0)])]]),
      ),
    ).rejects.toThrow(/not a valid GGUF file/);
    const model = ggufFile([{ ...gpt2(0)[1], name: 'blk.0.attn_output.weight' }], {
      architecture: 'llama',
      generalType: 'model',
    });
    await expect(readAdapter(new Map([['m.gguf', model]]))).rejects.toThrow(/a GGUF "model", not a LoRA adapter/);
    const mlx = mlxFiles(gpt2(0), 2);
    mlx.set('adapter_config.json', new TextEncoder().encode('{"lora_parameters": 3}'));
    await expect(readAdapter(mlx)).rejects.toThrow(/lora_parameters/);
    const kohya = writeSafetensors(
      new Map([
        ['lora_unet_x.lora_down.weight', { shape: [4, 3], data: new Float32Array(12) }],
        ['lora_unet_x.lora_up.weight', { shape: [5, 2], data: new Float32Array(10) }],
      ]),
    );
    await expect(readAdapter(new Map([['k.safetensors', kohya]]))).rejects.toThrow(
      /lora_unet_x: the factors disagree on the rank \(4 vs 2\)/,
    );
    await expect(readAdapter(new Map([['notes.txt', new Uint8Array(3)]]))).rejects.toThrow(/No adapter found/);
  });
});

describe('openAdapter on ByteSources: the header first, then one module at a time', () => {
  /** A source that records every read, to show what was (and was not) read. */
  const recorded = (bytes: Uint8Array, name: string) => {
    const src = bytesSource(bytes, name);
    const reads: number[] = [];
    return {
      reads,
      src: { ...src, read: (offset: number, length: number) => (reads.push(length), src.read(offset, length)) },
    };
  };
  const mods = llamaModules(2, 32, 16, 48, 4);
  const cases: [string, Map<string, Uint8Array>][] = [
    ['peft', peftFiles(mods, { r: 4, lora_alpha: 8 })],
    ['mlx', mlxFiles(mods, 20)],
    [
      'kohya',
      new Map([['k.safetensors', kohyaFile([{ ...lowRankModule('lora_unet_a_0_to_q', 32, 32, 4, 2, 1), alpha: 2 }])]]),
    ],
  ];
  for (const [format, files] of cases) {
    it(`${format}: the same modules as the in-memory read, with no factor read before loadFactors`, async () => {
      const eager = await readAdapter(files);
      const weightsName = [...files.keys()].find((p) => p.endsWith('.safetensors'))!;
      const weights = recorded(files.get(weightsName)!, weightsName);
      const input = new Map<string, AdapterFileInput>(files);
      input.set(weightsName, weights.src);
      const opened = await openAdapter(input);
      expect(opened.parsed.format).toBe(format);
      const headerReads = weights.reads.length;
      expect(opened.parsed.modules.every((m) => m.A.data.length === 0 && m.B.data.length === 0)).toBe(true);
      const loaded = [];
      for (const m of opened.parsed.modules) loaded.push(await opened.loadFactors(m));
      expect(loaded).toEqual(eager.modules);
      expect(weights.reads.length - headerReads).toBe(2 * loaded.length); // one read per factor
      expect(await readAdapter(input)).toEqual(eager);
    });
  }

  it('a damaged or foreign file is refused from its first bytes, as the in-memory read refuses it', async () => {
    const files = peftFiles(mods, { r: 4 });
    const lfs = new TextEncoder().encode('version https://git-lfs.github.com/spec/v1\noid sha256:00\nsize 160000000\n');
    const huge = files.get('adapter_model.safetensors')!.slice();
    new DataView(huge.buffer).setBigUint64(0, 1n << 40n, true); // a header "length" of 1 TiB
    for (const bad of [lfs, huge]) {
      const eager = await readAdapter(new Map([['adapter_model.safetensors', bad]])).catch((e: Error) => e.message);
      const w = recorded(bad, 'adapter_model.safetensors');
      const lazy = await openAdapter(new Map([['adapter_model.safetensors', w.src]])).catch((e: Error) => e.message);
      expect(lazy).toBe(eager);
      expect(lazy).toMatch(/not a valid safetensors file/);
      expect(Math.max(...w.reads)).toBeLessThanOrEqual(1024);
    }
  });
});
