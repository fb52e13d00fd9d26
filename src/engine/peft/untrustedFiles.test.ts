/** Issue 12, "Untrusted files, round two": one named test per finding on the adapter importer. */
import { describe, expect, it } from 'vitest';
import { deltaWBound, maxSafeDelta } from '../lora/deltaBound';
import { matmulHost } from '../lora/hostMath';
import { writeSafetensors } from '../safetensors';
import { cloneAdapter, randomAdapter, tinyGpt2Base } from '../testing/testAdapter';
import { UserFacingError, type TensorMap } from '../types';
import { zipFiles } from '../zip';
import { exportAdapter } from './exportAdapter';
import { importAdapter, importAdapterZip, type ImportedAdapter } from './importAdapter';

const enc = (s: string) => new TextEncoder().encode(s);
const info = { baseModelName: 'gpt2', taskType: 'CAUSAL_LM' as const };

function rejects(fn: () => unknown, pattern: RegExp): string {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserFacingError);
  expect((error as Error).message).toMatch(pattern);
  return (error as Error).message;
}

/** PEFT files for `adapter`, with the config patched and the tensors edited. */
function peftFiles(
  adapter: ReturnType<typeof randomAdapter>,
  configPatch: Record<string, unknown> = {},
  edit: (t: TensorMap) => void = () => undefined,
): Map<string, Uint8Array> {
  const exported = exportAdapter(adapter, info);
  const config = { ...JSON.parse(exported['adapter_config.json']), ...configPatch };
  const t: TensorMap = new Map();
  for (const [module, m] of adapter.modules) {
    t.set(`base_model.model.${module}.lora_A.weight`, { shape: [...m.A.shape], data: m.A.data.slice() });
    t.set(`base_model.model.${module}.lora_B.weight`, { shape: [...m.B.shape], data: m.B.data.slice() });
  }
  edit(t);
  return new Map([
    ['adapter_model.safetensors', writeSafetensors(t)],
    ['adapter_config.json', enc(JSON.stringify(config))],
  ]);
}

const base = tinyGpt2Base(2, 8);
const adapter = randomAdapter(base, { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'c_fc'] });

describe('1. regex patterns are matched in linear time (RE2, re.fullmatch semantics)', () => {
  // A 36-module GPT-2 adapter: 12 blocks × c_attn, attn.c_proj, c_fc.
  const base12 = tinyGpt2Base(12, 8);
  const a36 = randomAdapter(base12, { r: 2, lora_alpha: 4, target_modules: ['c_attn', 'attn.c_proj', 'c_fc'] });
  const slow = ['(.|.)*X', '.*.*.*.*.*.*.*.*.*.*X', '(?:.|.|.)*X'];

  it.each(slow)('%s as target_modules, rank_pattern and alpha_pattern: each import well under 1 s', (p) => {
    expect(a36.modules.size).toBe(36);
    const times: number[] = [];
    for (const patch of [{ target_modules: p }, { rank_pattern: { [p]: 7 } }, { alpha_pattern: { [p]: 1e6 } }]) {
      const files = peftFiles(a36, patch);
      const t0 = performance.now();
      const { adapter: got, warnings } = importAdapter(files, base12);
      times.push(performance.now() - t0);
      expect(got.modules.size).toBe(36); // the pattern matches no module: r and α stay as they are
      if ('target_modules' in patch) expect(warnings.join('\n')).toMatch(/36 adapted module\(s\) are not covered/);
    }
    console.info(`${p}: imports took ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
    expect(Math.max(...times)).toBeLessThan(1000);
  });

  it('a config near the 1 MiB limit (1,800 keys of 500 characters, 1,000 characters of regex, long targets) imports in under 1 s', () => {
    const keys = Array.from({ length: 1800 }, (_, i) => `${'x'.repeat(490)}.h.${i}.c_fc`.slice(-500));
    const regex = Array.from({ length: 25 }, (_, i) => `(a|b)*${i}(.|.)*[xyz]+c_fc`.padEnd(39, 'q'));
    const targets = [...Array.from({ length: 50 }, (_, i) => `${i}`.padStart(1000, 'y')), 'c_attn', 'c_proj', 'c_fc'];
    const files = peftFiles(a36, {
      target_modules: targets,
      rank_pattern: Object.fromEntries(keys.map((k) => [k, 3])),
      alpha_pattern: Object.fromEntries(regex.map((k) => [k, 3])),
    });
    const t0 = performance.now();
    expect(importAdapter(files, base12).adapter.modules.size).toBe(36);
    const ms = performance.now() - t0;
    console.info(
      `${files.get('adapter_config.json')!.length} bytes of config, ${regex.join('').length} characters of regex: ${ms.toFixed(0)} ms`,
    );
    expect(ms).toBeLessThan(1000);
  });

  it('refuses lookaround and backreferences with a message that says why and what to write', () => {
    rejects(
      () => importAdapter(peftFiles(adapter, { target_modules: '^(?!.*mlp).*c_attn' }), base),
      /adapter_config\.json: target_modules .* uses a lookahead .* cannot run; list the module names, or leave some out with exclude_modules/,
    );
    rejects(
      () => importAdapter(peftFiles(adapter, { alpha_pattern: { '(c_fc)\\1': 2 } }), base),
      /"alpha_pattern" key "\(c_fc\)\\\\1" uses a backreference/,
    );
  });
});

describe('2. duplicate tensors for one module', () => {
  it('a prefixed and an unprefixed lora_B of the same module are refused with both names', () => {
    const files = peftFiles(adapter, {}, (t) => {
      const b = t.get('base_model.model.transformer.h.0.attn.c_attn.lora_B.weight')!;
      t.set('transformer.h.0.attn.c_attn.lora_B.weight', { shape: b.shape, data: b.data.map((x) => -x) });
    });
    rejects(
      () => importAdapter(files, base),
      /two tensors are lora_B of transformer\.h\.0\.attn\.c_attn: base_model\.model\.transformer\.h\.0\.attn\.c_attn\.lora_B\.weight and transformer\.h\.0\.attn\.c_attn\.lora_B\.weight; keep one/,
    );
  });
});

describe('3. absurd scalings and ΔW that would not be finite in float32', () => {
  it('refuses lora_alpha 1e30 and 1e308, naming the module', () => {
    rejects(
      () => importAdapter(peftFiles(adapter, { lora_alpha: 1e30 }), base),
      /transformer\.h\.0\.attn\.c_attn: its update ΔW = s·B·A can reach .*e\+29 \(s = 2\.50e\+29\), beyond .*, where float32 overflows/,
    );
    rejects(
      () => importAdapter(peftFiles(adapter, { lora_alpha: 1e308 }), base),
      /the scaling α\/r of transformer\.h\.0\.attn\.c_attn is 2\.5e\+307, not a finite float32 number/,
    );
    rejects(
      () => importAdapter(peftFiles(adapter, { use_rslora: true, alpha_pattern: { c_fc: -1e300 } }), base),
      /scaling α\/√r of transformer\.h\.0\.mlp\.c_fc is -5e\+299/,
    );
  });

  it('refuses finite float32 factors whose product overflows; accepts B = 0 at any finite scaling', () => {
    const huge = peftFiles(adapter, {}, (t) => {
      t.get('base_model.model.transformer.h.1.mlp.c_fc.lora_A.weight')!.data[3] = 1e20;
      t.get('base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight')!.data[5] = -1e20;
    });
    rejects(() => importAdapter(huge, base), /transformer\.h\.1\.mlp\.c_fc: its update ΔW = s·B·A can reach/);
    const fresh = randomAdapter(base, { r: 4, lora_alpha: 1e30, target_modules: ['c_attn'] });
    for (const m of fresh.modules.values()) m.B.data.fill(0);
    const { warnings } = importAdapter(peftFiles(fresh), base);
    expect(warnings.join('\n')).toMatch(/scaling α\/r of 2 module\(s\) is above 1000, far outside what PEFT users set/);
  });

  it('warns when |s| > 1e3 but ΔW stays representable', () => {
    const { warnings } = importAdapter(peftFiles(adapter, { lora_alpha: 1e4 }), base);
    expect(warnings.join('\n')).toMatch(
      /above 1000, far outside .*\(e\.g\. transformer\.h\.0\.attn\.c_attn \(s = 2\.50e\+3\)\)/,
    );
  });

  it('the bound holds: max|ΔW| ≤ |s|·max‖B row‖·max‖A column‖, computed without forming ΔW', () => {
    for (const [module, m] of adapter.modules) {
      const { dIn, dOut } = base.modules.get(module)!;
      const delta = matmulHost(m.B.data, m.A.data, dOut, m.r, dIn);
      const actual = Math.max(...delta.map((x) => Math.abs(m.scaling * x)));
      const bound = deltaWBound(m.A, m.B, m.scaling);
      expect(bound).toBeGreaterThanOrEqual(actual * (1 - 1e-12));
      expect(bound).toBeLessThan(actual * m.r * 10); // and not absurdly loose
    }
    expect(maxSafeDelta(768, 3072)).toBeCloseTo(Math.sqrt(3.4028234663852886e38) / 3072, 6);
  });
});

describe('5. layers_to_transform, layers_pattern and exclude_modules, honoured as PEFT does', () => {
  const base4 = tinyGpt2Base(4, 8);
  const a4 = randomAdapter(base4, { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'c_fc'] });
  const layers = (got: ImportedAdapter) => [...new Set([...got.adapter.modules.keys()].map((n) => n.split('.')[2]))];

  it('an adapter that lists layers 0 and 2 gets only those applied (tensors for 1 and 3 left out, said so)', () => {
    const got = importAdapter(peftFiles(a4, { layers_to_transform: [0, 2] }), base4);
    expect(layers(got)).toEqual(['0', '2']);
    expect(got.adapter.modules.size).toBe(4);
    expect(got.warnings.join('\n')).toMatch(
      /4 module\(s\) in adapter_model\.safetensors were left out, as PEFT would \(layers_to_transform is \[0,2\]\): e\.g\. transformer\.h\.1\.attn\.c_attn/,
    );
    expect(got.adapter.config.layers_to_transform).toEqual([0, 2]);
    const same = importAdapter(peftFiles(a4, { layers_to_transform: [0, 2], layers_pattern: 'h' }), base4);
    expect(layers(same)).toEqual(['0', '2']);
  });

  it('exclude_modules (list or regex) and impossible filters', () => {
    expect(importAdapter(peftFiles(a4, { exclude_modules: ['c_fc'] }), base4).adapter.modules.size).toBe(4);
    const rx = importAdapter(peftFiles(a4, { exclude_modules: 'transformer\\.h\\.[0-2]\\..*' }), base4);
    expect(layers(rx)).toEqual(['3']);
    rejects(
      () => importAdapter(peftFiles(a4, { layers_to_transform: [0], layers_pattern: 'layers' }), base4),
      /PEFT would apply none of its tensors \(layers_to_transform is \[0\]/,
    );
    rejects(
      () => importAdapter(peftFiles(a4, { target_modules: '.*c_attn', layers_to_transform: [0] }), base4),
      /layers_to_transform cannot be used when target_modules is a single string/,
    );
    rejects(
      () => importAdapter(peftFiles(a4, { layers_to_transform: '0' }), base4),
      /layers_to_transform must be a layer index/,
    );
  });
});

describe('6. messages that say what the file is', () => {
  const exported = exportAdapter(adapter, info);
  const withWeights = (bytes: Uint8Array) =>
    new Map([
      ['adapter_model.safetensors', bytes],
      ['adapter_config.json', enc(exported['adapter_config.json'])],
    ]);
  const lfs = enc(
    'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 2336927\n',
  );

  it('a Git LFS pointer given as safetensors', () => {
    rejects(
      () => importAdapter(withWeights(lfs), base),
      /adapter_model\.safetensors is not a valid safetensors file: this is a Git LFS pointer .* fetch the real file with "git lfs pull"/,
    );
  });

  it('a PyTorch file given as safetensors: zip-based (PK) and legacy pickle (0x80)', () => {
    const torchZip = zipFiles({ 'archive/data.pkl': new Uint8Array([0x80, 2, 0x7d]), 'archive/version': '3' });
    rejects(
      () => importAdapter(withWeights(torchZip), base),
      /PyTorch checkpoint \(torch\.save's zip .* convert it with safetensors/,
    );
    const legacy = new Uint8Array([
      0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e,
    ]);
    rejects(
      () => importAdapter(withWeights(legacy), base),
      /PyTorch pickle .* convert it with safetensors .*never opened/,
    );
  });

  it('GGUF, a web page and JSON given as safetensors', () => {
    rejects(
      () => importAdapter(withWeights(enc('GGUF\x03\x00\x00\x00rest of it')), base),
      /GGUF file \(llama\.cpp's format\)/,
    );
    rejects(() => importAdapter(withWeights(enc('<!DOCTYPE html><html>')), base), /web page \(HTML\).*resolve\/main/);
    rejects(() => importAdapter(withWeights(enc(exported['adapter_config.json'])), base), /this is JSON text/);
  });

  it('a torch .bin inside a zip: "<name> is a PyTorch pickle: convert…"', () => {
    const zip = zipFiles({
      'adapter/adapter_config.json': exported['adapter_config.json'],
      'adapter/adapter_model.bin': 'x',
    });
    rejects(
      () => importAdapterZip(zip, base),
      /adapter_model\.bin is a PyTorch pickle: convert to safetensors \(never unpickled here\)/,
    );
    const full = zipFiles({ 'config.json': '{}', 'model.safetensors': exported['adapter_model.safetensors'] });
    rejects(() => importAdapterZip(full, base), /full model's files .* not a PEFT adapter/);
  });

  it('a model config.json or an LFS pointer given as adapter_config.json', () => {
    const files = withWeights(exported['adapter_model.safetensors']);
    files.set(
      'adapter_config.json',
      enc(JSON.stringify({ model_type: 'gpt2', n_layer: 2, architectures: ['GPT2LMHeadModel'] })),
    );
    rejects(
      () => importAdapter(files, base),
      /adapter_config\.json: this is a model's config\.json, not adapter_config\.json/,
    );
    files.set('adapter_config.json', lfs);
    rejects(() => importAdapter(files, base), /adapter_config\.json: this is a Git LFS pointer/);
  });

  it("a browser's second-download name is read, and said so", () => {
    const files = new Map([
      ['adapter_model (1).safetensors', exported['adapter_model.safetensors']],
      ['adapter_config.json', enc(exported['adapter_config.json'])],
    ]);
    const { warnings, adapter: got } = importAdapter(files, base);
    expect(got.modules.size).toBe(adapter.modules.size);
    expect(warnings.join('\n')).toMatch(/adapter_model \(1\)\.safetensors was read as adapter_model\.safetensors/);
  });
});

describe('7. a sequence-classification adapter on a causal LM', () => {
  it('loads its LoRA updates with a warning naming its task type and that its head is not applied', () => {
    const files = peftFiles(adapter, { task_type: 'SEQ_CLS', modules_to_save: ['classifier', 'score'] }, (t) =>
      t.set('base_model.model.score.modules_to_save.default.weight', { shape: [2, 8], data: new Float32Array(16) }),
    );
    const { warnings } = importAdapter(files, base);
    expect(warnings.join('\n')).toMatch(
      /task_type is SEQ_CLS \(sequence classification\), but the base is a causal language model \(CAUSAL_LM\): only the LoRA updates of its linear layers are applied; its task head \(e\.g\. score\) is not/,
    );
    expect(importAdapter(peftFiles(adapter), base).warnings.join('\n')).not.toMatch(/task_type/);
  });
});

describe('rejected inputs change nothing', () => {
  it('a loaded adapter and the input bytes are untouched by every refusal above', () => {
    const good = importAdapter(peftFiles(adapter), base).adapter;
    const snapshot = cloneAdapter(good);
    const inputs = [
      peftFiles(adapter, { lora_alpha: 1e30 }),
      peftFiles(adapter, { target_modules: '(?=x)' }),
      peftFiles(adapter, { layers_to_transform: [7] }),
    ];
    const copies = inputs.map((m) => new Map([...m].map(([k, v]) => [k, v.slice()])));
    for (const files of inputs) expect(() => importAdapter(files, base)).toThrow(UserFacingError);
    expect(good).toEqual(snapshot);
    expect(inputs).toEqual(copies);
  });
});
