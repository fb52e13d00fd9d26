import { describe, expect, it } from 'vitest';
import { writeSafetensors } from '../safetensors';
import { UserFacingError, type TensorMap } from '../types';
import { zipFiles } from '../zip';
import { PEFT_CONFIG_KEYS } from './adapterConfig';
import { exportAdapter } from './exportAdapter';
import { importAdapter, importAdapterZip } from './importAdapter';
import { cloneAdapter, randomAdapter, tinyGpt2Base } from '../testing/testAdapter';

const info = {
  baseModelName: 'lowrank/tiny-gpt2',
  taskType: 'CAUSAL_LM' as const,
  dataset: 'names',
  steps: 200,
  finalLoss: 1.2345,
};
const enc = (s: string) => new TextEncoder().encode(s);

/** Independent minimal safetensors parser (spec only, no validation), not the product's reader. */
function parseSafetensors(bytes: Uint8Array) {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const out = new Map<string, { dtype: string; shape: number[]; data: Float32Array }>();
  for (const [k, v] of Object.entries(header) as [
    string,
    { dtype: string; shape: number[]; data_offsets: number[] },
  ][]) {
    if (k === '__metadata__') continue;
    const raw = bytes.slice(8 + n + v.data_offsets[0], 8 + n + v.data_offsets[1]);
    out.set(k, { dtype: v.dtype, shape: v.shape, data: new Float32Array(raw.buffer) });
  }
  return { metadata: header.__metadata__, keys: Object.keys(header), tensors: out, n };
}

function rejects(fn: () => unknown, pattern: RegExp): void {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserFacingError);
  expect((error as Error).message).toMatch(pattern);
}

function filesOf(exported: ReturnType<typeof exportAdapter>, prefix = ''): Map<string, Uint8Array> {
  return new Map([
    [`${prefix}adapter_model.safetensors`, exported['adapter_model.safetensors']],
    [`${prefix}adapter_config.json`, enc(exported['adapter_config.json'])],
  ]);
}

const base = tinyGpt2Base();

describe('exportAdapter', () => {
  const adapter = randomAdapter(base, { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'c_proj'] });
  const files = exportAdapter(adapter, info);

  it('writes PEFT tensor names, shapes, F32 and {"format":"pt"} (read by an independent parser)', () => {
    const parsed = parseSafetensors(files['adapter_model.safetensors']);
    expect(parsed.keys[0]).toBe('__metadata__');
    expect(parsed.metadata).toEqual({ format: 'pt' });
    expect(parsed.n % 8).toBe(0);
    expect(parsed.tensors.size).toBe(2 * adapter.modules.size);
    for (const [module, m] of adapter.modules) {
      const a = parsed.tensors.get(`base_model.model.${module}.lora_A.weight`)!;
      const b = parsed.tensors.get(`base_model.model.${module}.lora_B.weight`)!;
      expect(a.dtype).toBe('F32');
      expect(a.shape).toEqual([4, base.modules.get(module)!.dIn]);
      expect(b.shape).toEqual([base.modules.get(module)!.dOut, 4]);
      expect(a.data).toEqual(m.A.data);
      expect(b.data).toEqual(m.B.data);
    }
  });

  it('writes only the config keys old PEFT accepts, sorted, indent 2', () => {
    const text = files['adapter_config.json'];
    const config = JSON.parse(text);
    expect(Object.keys(config)).toEqual([...PEFT_CONFIG_KEYS].sort());
    expect(text).toContain('\n  "alpha_pattern": {},\n');
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      base_model_name_or_path: 'lowrank/tiny-gpt2',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0,
      target_modules: ['c_attn', 'c_proj'],
      fan_in_fan_out: true,
      bias: 'none',
      inference_mode: true,
      use_dora: false,
      use_rslora: false,
      init_lora_weights: true,
      modules_to_save: null,
      revision: null,
      layers_to_transform: null,
      layers_pattern: null,
      rank_pattern: {},
    });
  });

  it('writes a model card with base, data, steps, loss and a PEFT loading snippet', () => {
    const card = files['README.md'];
    expect(card).toMatch(/^---\nbase_model: "lowrank\/tiny-gpt2"\nlibrary_name: peft/);
    expect(card).toContain('| Data | names |');
    expect(card).toContain('| Training steps | 200 |');
    expect(card).toContain('| Validation loss at the end (nats/token) | 1.2345 |');
    expect(card).not.toContain('Final loss');
    expect(card).toContain('PeftModel.from_pretrained(base, "path/to/this/folder")');
    expect(card).toContain('base = AutoModelForCausalLM.from_pretrained("lowrank/tiny-gpt2")');
    expect(card).toContain('tokenizer = AutoTokenizer.from_pretrained("lowrank/tiny-gpt2")');
    expect(card).toContain(`| Trainable parameters | ${2 * (4 * (8 + 24) + 4 * (8 + 8) + 4 * (32 + 8))} |`);
  });

  it('with a base that is not on the Hub, loads both from the folders of the "base + adapter" download', () => {
    const local = exportAdapter(adapter, { ...info, adapterFolder: 'names-r8', baseFolder: 'lowrank-tiny-base' });
    const card = local['README.md'];
    expect(card).toContain('base = AutoModelForCausalLM.from_pretrained("lowrank-tiny-base")');
    expect(card).toContain(
      'tokenizer = PreTrainedTokenizerFast(tokenizer_file="lowrank-tiny-base/tokenizer.json", eos_token="<|endoftext|>")',
    );
    expect(card).toContain('model = PeftModel.from_pretrained(base, "names-r8")');
    // GPT-2 would add a token-type embedding for token_type_ids: only input_ids go to generate.
    expect(card).toContain('model.generate(input_ids=input_ids,');
    // lowrank samples after <|endoftext|> (a new text), so the Python's prompt starts with it too.
    expect(card).toContain('input_ids = tokenizer(tokenizer.eos_token + "The", return_tensors="pt").input_ids');
    expect(JSON.parse(local['adapter_config.json']).base_model_name_or_path).toBe('lowrank-tiny-base');
  });

  it('with a base from the Hub, names it by repo id (and pinned revision) in one line PEFT runs as is', () => {
    const hub = exportAdapter(adapter, {
      ...info,
      baseModelName: 'owner/gpt2-small',
      adapterFolder: 'names',
      fromHub: true,
    });
    const card = hub['README.md'];
    expect(card).toContain(
      'model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained("owner/gpt2-small"), "names")',
    );
    expect(card).toContain('tokenizer = AutoTokenizer.from_pretrained("owner/gpt2-small")');
    expect(card).toContain('base_model: "owner/gpt2-small"');
    expect(card).toContain('The base is owner/gpt2-small on the Hugging Face Hub:');
    expect(card).not.toContain('export it too');
    const config = JSON.parse(hub['adapter_config.json']);
    expect(config.base_model_name_or_path).toBe('owner/gpt2-small');
    expect(config.revision).toBeNull();

    const pinned = exportAdapter(adapter, {
      ...info,
      baseModelName: 'owner/gpt2-small',
      adapterFolder: 'names',
      fromHub: true,
      revision: 'v1.0',
    });
    expect(pinned['README.md']).toContain(
      'model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained("owner/gpt2-small", revision="v1.0"), "names")',
    );
    expect(pinned['README.md']).toContain('at revision v1.0');
    expect(JSON.parse(pinned['adapter_config.json']).revision).toBe('v1.0');
  });

  it('with a base loaded from disk, keeps its folder name and says to export the base too', () => {
    const disk = exportAdapter(adapter, {
      ...info,
      baseModelName: 'my-gpt2',
      adapterFolder: 'names',
      baseFolder: 'my-gpt2',
    });
    expect(disk['README.md']).toContain('The base is not on the Hugging Face Hub, so export it too');
    expect(disk['README.md']).toContain('base = AutoModelForCausalLM.from_pretrained("my-gpt2")');
    expect(JSON.parse(disk['adapter_config.json']).base_model_name_or_path).toBe('my-gpt2');
  });

  it('writes "all-linear" as the list of adapted layer names, and per-module ranks in rank_pattern', () => {
    const all = randomAdapter(base, { target_modules: 'all-linear', r: 2, rank_pattern: { c_fc: 3 } });
    const config = JSON.parse(exportAdapter(all, info)['adapter_config.json']);
    expect(config.target_modules).toEqual(['c_attn', 'c_fc', 'c_proj']);
    expect(config.rank_pattern).toEqual({ c_fc: 3 });
    const odd = cloneAdapter(all);
    odd.modules.get('transformer.h.1.attn.c_attn')!.alpha = 5;
    const oddConfig = JSON.parse(exportAdapter(odd, info)['adapter_config.json']);
    expect(oddConfig.alpha_pattern).toEqual({ 'transformer\\.h\\.1\\.attn\\.c_attn': 5 });
    expect(Object.keys(oddConfig.rank_pattern).length).toBe(2); // both c_fc modules, by exact name
  });

  it('refuses to export non-finite weights', () => {
    const broken = cloneAdapter(adapter);
    broken.modules.get('transformer.h.0.attn.c_attn')!.B.data[3] = NaN;
    rejects(
      () => exportAdapter(broken, info),
      /base_model\.model\.transformer\.h\.0\.attn\.c_attn\.lora_B\.weight holds NaN at index 3/,
    );
  });
});

describe('importAdapter', () => {
  const adapter = randomAdapter(base, {
    r: 4,
    lora_alpha: 16,
    use_rslora: true,
    target_modules: ['c_attn', 'c_fc'],
    rank_pattern: { c_fc: 2 },
  });
  const exported = exportAdapter(adapter, info);

  it('round-trips export → import bit-identically, from files, a folder prefix or a zip', () => {
    for (const files of [filesOf(exported), filesOf(exported, 'my-adapter/'), null]) {
      const result = files
        ? importAdapter(files, base)
        : importAdapterZip(
            zipFiles({
              'x/adapter_config.json': exported['adapter_config.json'],
              'x/adapter_model.safetensors': exported['adapter_model.safetensors'],
              'x/README.md': exported['README.md'],
            }),
            base,
          );
      expect(result.warnings).toEqual([]);
      expect(result.baseModelName).toBe('lowrank/tiny-gpt2');
      expect(result.taskType).toBe('CAUSAL_LM');
      expect(result.adapter).toEqual(adapter);
      expect(result.adapter.modules.get('transformer.h.0.mlp.c_fc')!.scaling).toBeCloseTo(16 / Math.SQRT2, 12);
    }
  });

  it('accepts F16 and BF16 tensors', () => {
    const t = new Map([
      [
        'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight',
        { shape: [1, 8], data: new Float32Array(8).fill(0.5) },
      ],
      [
        'base_model.model.transformer.h.0.attn.c_attn.lora_B.weight',
        { shape: [24, 1], data: new Float32Array(24).fill(-2) },
      ],
    ]);
    const f32 = writeSafetensors(t);
    // Re-encode as F16 (A) and BF16 (B) by hand: 0.5 = 0x3800 (F16), -2 = 0xc000 (BF16).
    const n = Number(new DataView(f32.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(f32.subarray(8, 8 + n)));
    const keys = Object.keys(header).filter((k) => k !== '__metadata__');
    header[keys[0]] = { dtype: 'F16', shape: [1, 8], data_offsets: [0, 16] };
    header[keys[1]] = { dtype: 'BF16', shape: [24, 1], data_offsets: [16, 64] };
    const data = new Uint16Array(32);
    data.fill(0x3800, 0, 8);
    data.fill(0xc000, 8);
    const h = enc(JSON.stringify(header));
    const bytes = new Uint8Array(8 + h.length + 64);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(h.length), true);
    bytes.set(h, 8);
    bytes.set(new Uint8Array(data.buffer), 8 + h.length);
    const config = enc(
      JSON.stringify({ peft_type: 'LORA', r: 1, lora_alpha: 2, target_modules: ['c_attn'], fan_in_fan_out: true }),
    );
    const { adapter: a } = importAdapter(
      new Map([
        ['adapter_model.safetensors', bytes],
        ['adapter_config.json', config],
      ]),
      base,
    );
    const m = a.modules.get('transformer.h.0.attn.c_attn')!;
    expect([...m.A.data]).toEqual(new Array(8).fill(0.5));
    expect([...m.B.data]).toEqual(new Array(24).fill(-2));
    expect(m.scaling).toBe(2);
  });

  it('never modifies its inputs', () => {
    const files = filesOf(exported);
    const before = new Map([...files].map(([k, v]) => [k, v.slice()]));
    const result = importAdapter(files, base);
    result.adapter.modules.get('transformer.h.0.attn.c_attn')!.A.data[0] = 1234;
    expect(files).toEqual(before);
  });

  const withConfig = (patch: Record<string, unknown>) => {
    const config = { ...JSON.parse(exported['adapter_config.json']), ...patch };
    return new Map([
      ['adapter_model.safetensors', exported['adapter_model.safetensors']],
      ['adapter_config.json', enc(JSON.stringify(config))],
    ]);
  };
  const withTensors = (edit: (t: TensorMap) => void, configPatch: Record<string, unknown> = {}) => {
    const t: TensorMap = new Map();
    for (const [module, m] of adapter.modules) {
      t.set(`base_model.model.${module}.lora_A.weight`, { shape: [...m.A.shape], data: m.A.data.slice() });
      t.set(`base_model.model.${module}.lora_B.weight`, { shape: [...m.B.shape], data: m.B.data.slice() });
    }
    edit(t);
    const files = withConfig(configPatch);
    files.set('adapter_model.safetensors', writeSafetensors(t));
    return files;
  };

  it('rejects a PyTorch pickle without reading it', () => {
    rejects(
      () =>
        importAdapter(
          new Map([
            ['a/adapter_model.bin', enc('\x80\x02}q')],
            ['a/adapter_config.json', enc('{}')],
          ]),
          base,
        ),
      /adapter_model\.bin is a PyTorch pickle: convert to safetensors \(never unpickled here\)/,
    );
  });

  it('rejects missing files and two adapters at once', () => {
    rejects(
      () => importAdapter(new Map([['adapter_config.json', enc('{}')]]), base),
      /adapter_model\.safetensors is missing/,
    );
    rejects(
      () => importAdapter(new Map([['adapter_model.safetensors', exported['adapter_model.safetensors']]]), base),
      /adapter_config\.json is missing/,
    );
    const two = filesOf(exported);
    two.set('other/adapter_config.json', enc('{}'));
    rejects(() => importAdapter(two, base), /Found two adapter_config\.json files/);
  });

  it("rejects bad safetensors with the file name and the reader's reason", () => {
    const files = filesOf(exported);
    files.set('adapter_model.safetensors', exported['adapter_model.safetensors'].subarray(0, 100));
    rejects(
      () => importAdapter(files, base),
      /adapter_model\.safetensors is not a valid safetensors file: header length \d+ bytes runs past the end/,
    );
  });

  it('rejects wrong config types, non-LoRA and DoRA adapters by field', () => {
    rejects(
      () => importAdapter(withConfig({ r: '8' }), base),
      /adapter_config\.json: "r" must be a positive integer, got "8"/,
    );
    rejects(() => importAdapter(withConfig({ lora_alpha: null, r: 0 }), base), /"r" must be a positive integer, got 0/);
    rejects(() => importAdapter(withConfig({ use_rslora: 'yes' }), base), /"use_rslora" must be true or false/);
    rejects(
      () => importAdapter(withConfig({ target_modules: 5 }), base),
      /"target_modules" must be a list of module names or a regex string, got 5/,
    );
    rejects(
      () => importAdapter(withConfig({ rank_pattern: { c_fc: 2.5 } }), base),
      /"rank_pattern\.c_fc" must be a positive integer, got 2\.5/,
    );
    rejects(() => importAdapter(withConfig({ peft_type: 'IA3' }), base), /peft_type is "IA3"; only LoRA adapters/);
    rejects(() => importAdapter(withConfig({ use_dora: true }), base), /DoRA adapters .* are not supported/);
    rejects(() => importAdapter(withConfig({ use_bdlora: { nblocks: 2 } }), base), /BD-LoRA adapters .* not supported/);
    rejects(() => importAdapter(withConfig({ monteclora_config: {} }), base), /MonteCLoRA adapters .* not supported/);
    rejects(
      () =>
        importAdapter(
          new Map([...withConfig({})].map(([k, v]) => [k, k.endsWith('json') ? enc('{"r": 4,') : v])),
          base,
        ),
      /adapter_config\.json is not valid JSON/,
    );
  });

  it('matches nested-quantifier patterns in linear time and refuses what RE2 cannot run', () => {
    const t0 = performance.now();
    expect(importAdapter(withConfig({ rank_pattern: { '(.*)*x': 2, c_fc: 2 } }), base).adapter.modules.size).toBe(4);
    expect(importAdapter(withConfig({ alpha_pattern: { '([a-z._0-9]+)+X': 2 } }), base).adapter.modules.size).toBe(4);
    expect(performance.now() - t0).toBeLessThan(1000);
    rejects(
      () => importAdapter(withConfig({ target_modules: '^(?!.*mlp).*c_attn' }), base),
      /adapter_config\.json: target_modules "\^\(\?!\.\*mlp\)\.\*c_attn" uses a lookahead .*, which a linear-time matcher cannot run; list the module names/,
    );
    rejects(
      () => importAdapter(withConfig({ rank_pattern: { '(c_fc)\\1': 2 } }), base),
      /"rank_pattern" key "\(c_fc\)\\\\1" uses a backreference/,
    );
  });

  it('rejects a config r that disagrees with the tensors, respecting rank_pattern', () => {
    rejects(
      () => importAdapter(withConfig({ r: 8 }), base),
      /adapter_config\.json says r = 8 for transformer\.h\.0\.attn\.c_attn, but its tensors have rank 4/,
    );
    rejects(
      () => importAdapter(withConfig({ rank_pattern: {} }), base),
      /says r = 4 for transformer\.h\.0\.mlp\.c_fc, but its tensors have rank 2/,
    );
  });

  it('rejects shapes that do not fit the base, naming module and both shapes', () => {
    const small = tinyGpt2Base(2, 4);
    rejects(
      () => importAdapter(filesOf(exported), small),
      /transformer\.h\.0\.attn\.c_attn: lora_A is \[4, 8\], base expects \[4, 4\] — this adapter was trained for a different model/,
    );
    rejects(
      () => importAdapter(filesOf(exported), small),
      /lora_B is \[24, 4\], base expects \[12, 4\] — this adapter was trained for a different model/,
    );
  });

  it('rejects modules the base lacks, A without B, and NaN/Inf values', () => {
    rejects(
      () => importAdapter(filesOf(exported), tinyGpt2Base(1)),
      /the base model \(gpt2\) has no module transformer\.h\.1\.attn\.c_attn, transformer\.h\.1\.mlp\.c_fc — this adapter was trained for a different model/,
    );
    rejects(
      () =>
        importAdapter(
          withTensors((t) => t.delete('base_model.model.transformer.h.1.mlp.c_fc.lora_B.weight')),
          base,
        ),
      /transformer\.h\.1\.mlp\.c_fc has lora_A but no lora_B/,
    );
    rejects(
      () =>
        importAdapter(
          withTensors((t) => {
            t.get('base_model.model.transformer.h.0.attn.c_attn.lora_B.weight')!.data[5] = NaN;
          }),
          base,
        ),
      /tensor base_model\.model\.transformer\.h\.0\.attn\.c_attn\.lora_B\.weight contains NaN at index 5/,
    );
    rejects(
      () =>
        importAdapter(
          withTensors((t) => {
            t.get('base_model.model.transformer.h.0.mlp.c_fc.lora_A.weight')!.data[0] = -Infinity;
          }),
          base,
        ),
      /lora_A\.weight contains -Infinity at index 0/,
    );
    rejects(
      () =>
        importAdapter(
          withTensors((t) => t.clear()),
          base,
        ),
      /has no LoRA tensors/,
    );
  });

  it('warns about extra tensors and unknown config keys instead of failing', () => {
    const files = withTensors(
      (t) => {
        t.set('base_model.model.score.weight', { shape: [2, 8], data: new Float32Array(16) });
        t.set('base_model.model.transformer.wte.lora_embedding_A', { shape: [4, 11], data: new Float32Array(44) });
      },
      {
        some_future_key: 1,
        lora_bias: false,
        bias: 'all',
        // What PEFT 0.21 writes for a plain LoRA adapter: known keys, no warning.
        lora_ga_config: null,
        velora_config: null,
        monteclora_config: null,
        use_bdlora: null,
      },
    );
    const { adapter: got, warnings } = importAdapter(files, base);
    expect(got.modules.size).toBe(adapter.modules.size);
    expect(warnings.join('\n')).toMatch(
      /Ignored 2 tensors .*base_model\.model\.score\.weight.*lora_embedding_A.*not applied/,
    );
    expect(warnings.join('\n')).toMatch(/ignored unknown key "some_future_key"/);
    expect(warnings.join('\n')).toMatch(/bias is "all": trained bias terms are ignored/);
    expect(warnings.join('\n')).not.toMatch(/lora_bias|lora_ga_config|velora_config|monteclora_config|use_bdlora/);
  });

  it('fills target_modules from the tensors when the config has none', () => {
    const { adapter: got } = importAdapter(withConfig({ target_modules: null }), base);
    expect(got.config.target_modules).toEqual(['c_attn', 'c_fc']);
  });
});
