import { describe, expect, it } from 'vitest';
import { checkFamily, chooseFiles, MAX_SHARDS, shardsFromIndex, type ListedFile } from './plan';

const file = (path: string, size = 100, lfs = false): ListedFile => ({
  type: 'file',
  path,
  size,
  oid: `git-${path}`,
  ...(lfs ? { lfs: { oid: `sha-${path}`, size } } : {}),
});
const base = [
  file('config.json'),
  file('tokenizer.json'),
  file('README.md'),
  { type: 'directory', path: 'onnx', size: 0 } as ListedFile,
];

describe('which files to fetch', () => {
  it('takes config, tokenizer files and model.safetensors, with LFS identities', () => {
    const c = chooseFiles('o/r', [
      ...base,
      file('tokenizer_config.json'),
      file('generation_config.json'),
      file('model.safetensors', 5000, true),
    ]);
    expect(c.weights).toEqual({
      kind: 'single',
      file: { name: 'model.safetensors', role: 'weights', size: 5000, oid: 'sha-model.safetensors' },
    });
    expect(c.tokenizerConfig?.name).toBe('tokenizer_config.json');
    expect(c.generationConfig?.name).toBe('generation_config.json');
    expect(c.config.oid).toBe('git-config.json');
  });

  it('prefers the index when there is no single file, and ignores files in folders', () => {
    const c = chooseFiles('o/r', [...base, file('model.safetensors.index.json'), file('onnx/model.safetensors')]);
    expect(c.weights.kind).toBe('sharded');
    expect(c.tokenizerConfig).toBeNull();
  });

  it('refuses .bin-only and GGUF-only repos with their own messages', () => {
    expect(() => chooseFiles('o/r', [...base, file('pytorch_model.bin')])).toThrow(
      /only PyTorch \.bin weights.*Python pickle/,
    );
    expect(() => chooseFiles('o/r', [...base, file('m-Q4_K_M.gguf')])).toThrow(/only GGUF weights/);
    expect(() => chooseFiles('o/r', base)).toThrow(/no model\.safetensors/);
  });

  it('needs config.json and tokenizer.json, and bounds the small files', () => {
    expect(() => chooseFiles('o/r', [file('tokenizer.json'), file('model.safetensors')])).toThrow(/no config\.json/);
    expect(() => chooseFiles('o/r', [file('config.json'), file('vocab.json'), file('model.safetensors')])).toThrow(
      /no tokenizer\.json \(only the older vocab\.json/,
    );
    expect(() =>
      chooseFiles('o/r', [file('config.json', 5 << 20), file('tokenizer.json'), file('model.safetensors')]),
    ).toThrow(/config\.json is listed at 5242880 bytes/);
  });
});

describe('the shard index', () => {
  const listing = [file('a-00001-of-00002.safetensors', 600), file('a-00002-of-00002.safetensors', 400)];
  const index = (map: Record<string, unknown>, total?: unknown) =>
    JSON.stringify({ ...(total === undefined ? {} : { metadata: { total_size: total } }), weight_map: map });

  it('lists every shard once, sorted, with the listing sizes', () => {
    const shards = shardsFromIndex(
      'o/r',
      index(
        { x: 'a-00002-of-00002.safetensors', y: 'a-00001-of-00002.safetensors', z: 'a-00002-of-00002.safetensors' },
        900,
      ),
      listing,
    );
    expect(shards.map((s) => [s.name, s.size])).toEqual([
      ['a-00001-of-00002.safetensors', 600],
      ['a-00002-of-00002.safetensors', 400],
    ]);
  });

  it('refuses unsafe names, unlisted shards and inconsistent totals', () => {
    const bad: [string, RegExp][] = [
      ['{', /not valid JSON/],
      ['[]', /not a JSON object/],
      ['{}', /no "weight_map"/],
      [index({}), /maps no tensors/],
      [index({ x: 3 }), /something other than a file name/],
      [index({ x: '../a-00001-of-00002.safetensors' }), /not a plain \.safetensors file name/],
      [index({ x: 'sub/a.safetensors' }), /not a plain/],
      [index({ x: '.hidden.safetensors' }), /not a plain/],
      [index({ x: 'a..b.safetensors' }), /not a plain/],
      [index({ x: 'model.bin' }), /not a plain/],
      [index({ x: 'model.safetensors' }), /not a plain/],
      [
        index({ x: 'a-00003-of-00002.safetensors' }),
        /names a-00003-of-00002\.safetensors, which the repo does not have/,
      ],
      [index({ x: 'a-00001-of-00002.safetensors' }, 601), /total_size 601 bytes of tensors, but its shards hold 600/],
      [index({ x: 'a-00001-of-00002.safetensors' }, '600'), /total_size 600/],
    ];
    for (const [text, msg] of bad) expect(() => shardsFromIndex('o/r', text, listing), text).toThrow(msg);
  });

  it('bounds the number of shards', () => {
    const map: Record<string, string> = {};
    for (let i = 0; i <= MAX_SHARDS; i++) map[`t${i}`] = `s${i}.safetensors`;
    expect(() => shardsFromIndex('o/r', index(map), [])).toThrow(/more than 4096 shards/);
  });
});

describe('model families', () => {
  it('accepts gpt2, llama and qwen2 and names anything else', () => {
    for (const t of ['gpt2', 'llama', 'qwen2'])
      expect(checkFamily('o/r', JSON.stringify({ model_type: t })).modelType).toBe(t);
    expect(() => checkFamily('o/r', '{"model_type":"mistral"}')).toThrow(
      /model_type "mistral"\. Supported: gpt2, llama, qwen2/,
    );
    expect(() => checkFamily('o/r', '{}')).toThrow(/has no model_type/);
    expect(() => checkFamily('o/r', 'nope')).toThrow(/not valid JSON/);
  });
});
