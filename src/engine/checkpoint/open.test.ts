import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { gpt2ConfigJson, tinyGpt2Config } from '../gpt2/config';
import { initGpt2Weights } from '../gpt2/params';
import { llamaConfigJson, tinyLlamaConfig } from '../llama/config';
import { initLlamaWeights } from '../llama/params';
import { modelSpec } from '../models/registry';
import { readSafetensors, f16BitsToNumber } from '../safetensors';
import { LmTrainer } from '../train/lmTrainer';
import { UserFacingError, type TensorMap } from '../types';
import { blobSource, bytesSource, type ByteSource } from './byteSource';
import { decodeTensor } from './decode';
import { checkpointFromFolder, loadCheckpoint, openCheckpoint } from './open';
import { encodeTensor, safetensorsBytes, safetensorsHeader, shardedCheckpoint, toF16Bits } from './write';

const enc = (s: string) => new TextEncoder().encode(s);
const qwen = tinyLlamaConfig({ model_type: 'qwen2', qkv_bias: true, num_hidden_layers: 3 });
const smolLike = tinyLlamaConfig({
  num_attention_heads: 6,
  num_key_value_heads: 2,
  hidden_size: 24,
  tie_word_embeddings: true,
});

/** Every value as the file's dtype holds it (what a loader must reproduce exactly). */
function roundTo(w: TensorMap, dtype: 'F16' | 'BF16'): TensorMap {
  return new Map(
    [...w].map(([n, t]) => [
      n,
      { shape: t.shape, data: decodeTensor(encodeTensor(t.data, dtype), dtype, t.data.length) },
    ]),
  );
}

/** A source that records the largest single read (no whole-file reads allowed). */
function counted(src: ByteSource, log: { max: number; total: number }): ByteSource {
  return {
    ...src,
    name: src.name,
    size: src.size,
    read: async (o, n) => {
      log.max = Math.max(log.max, n);
      log.total += n;
      return src.read(o, n);
    },
  };
}

describe('dtype conversion', () => {
  it('F16 and BF16 encode with round-to-nearest-even and decode exactly', () => {
    const vals = Float32Array.from([
      0,
      -0,
      1,
      -2.5,
      65504,
      1e-7,
      6.1e-5,
      3.14159,
      70000,
      -1e-30,
      Infinity,
      NaN,
      1.00048828125,
    ]);
    const f16 = decodeTensor(encodeTensor(vals, 'F16'), 'F16', vals.length);
    expect([...f16.slice(0, 5)]).toEqual([0, -0, 1, -2.5, 65504]);
    expect(f16[5]).toBe(f16BitsToNumber(toF16Bits(1e-7))); // subnormal
    expect(Math.abs(f16[7] - 3.14159)).toBeLessThan(2e-3);
    expect(f16[8]).toBe(Infinity);
    expect(f16[10]).toBe(Infinity);
    expect(f16[11]).toBeNaN();
    expect(f16[12]).toBe(1); // exactly half an ulp above 1: rounds to even
    const bf = decodeTensor(encodeTensor(vals, 'BF16'), 'BF16', vals.length);
    expect([...bf.slice(0, 4)]).toEqual([0, -0, 1, -2.5]);
    expect(Math.abs(bf[7] - 3.14159) / 3.14159).toBeLessThan(4e-3);
    expect(bf[11]).toBeNaN();
    for (let h = 0; h < 65536; h += 7) {
      const v = f16BitsToNumber(h);
      if (!Number.isNaN(v)) expect(toF16Bits(v)).toBe(h);
    }
  });
});

describe.each(['cpu', 'wasm'] as const)('streaming checkpoint loader on %s', (backend) => {
  beforeAll(async () => {
    await selectBackend({ force: backend });
  });

  it('single-file BF16 (tied, GQA): header first, then tensor by tensor; outputs equal the in-memory load', async () => {
    const before = tf.memory().numTensors;
    const w = initLlamaWeights(smolLike, 1, { std: 0.2 });
    const file = safetensorsBytes(w, 'BF16');
    const log = { max: 0, total: 0 };
    const plan = await openCheckpoint({
      config: llamaConfigJson(smolLike),
      weights: [counted(blobSource(new Blob([file as Uint8Array<ArrayBuffer>]), 'model.safetensors'), log)],
    });
    expect(plan.dtypes).toEqual(['BF16']);
    expect(plan.float32Bytes).toBe(2 * plan.fileBytes);
    expect(log.total).toBeLessThan(4096); // the header only
    Object.assign(log, { max: 0, total: 0 });
    const model = await loadCheckpoint(plan);
    expect(log.max).toBe(plan.largestTensorBytes / 2); // the largest read is one BF16 tensor
    expect(log.total).toBe(plan.fileBytes); // every byte read once
    // wasm streams each tensor into the heap in row blocks (transposing kernels on the way)
    Object.assign(log, { max: 0, total: 0 });
    const blocks = await loadCheckpoint(plan, { chunkBytes: 100 });
    expect(log.max).toBe(backend === 'wasm' ? 96 : plan.largestTensorBytes / 2);
    const ids0 = Int32Array.from([3, 1, 4, 1]);
    expect((await blocks.logits(ids0, 1, 4)).data).toEqual((await model.logits(ids0, 1, 4)).data);
    blocks.dispose();
    const ref = modelSpec(llamaConfigJson(smolLike)).fromWeights(roundTo(w, 'BF16'));
    const ids = Int32Array.from([3, 1, 4, 1, 5, 9, 2, 6]);
    expect((await model.logits(ids, 1, 8)).data).toEqual((await ref.logits(ids, 1, 8)).data);
    model.dispose();
    ref.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sharded F16 Qwen2 + index: load, train LoRA, export merged HF files, reload: identical outputs', async () => {
    const before = tf.memory().numTensors;
    const w = initLlamaWeights(qwen, 2, { std: 0.2, randomBiases: true });
    const { shards, index } = shardedCheckpoint(w, 'F16', 4000);
    expect(shards.size).toBeGreaterThan(2);
    const folder = [
      bytesSource(enc(JSON.stringify(llamaConfigJson(qwen))), 'config.json'),
      bytesSource(enc(index), 'model.safetensors.index.json'),
      bytesSource(enc('{}'), 'generation_config.json'),
      ...[...shards].map(([name, bytes]) => bytesSource(bytes, name)),
    ];
    const model = await loadCheckpoint(await openCheckpoint(await checkpointFromFolder(folder)));
    const ref = modelSpec(llamaConfigJson(qwen)).fromWeights(roundTo(w, 'F16'));
    const ids = Int32Array.from([1, 2, 3, 4, 5, 6]);
    expect((await model.logits(ids, 1, 6)).data).toEqual((await ref.logits(ids, 1, 6)).data);
    ref.dispose();
    await model.adapters.add('a', { r: 2, target_modules: ['q_proj', 'v_proj', 'down_proj'] }, 3);
    const trainer = new LmTrainer(model, { mode: 'lora', learningRate: 5e-2, totalSteps: 3 });
    const batch = { input: ids, target: Int32Array.from([2, 3, 4, 5, 6, 7]), batch: 1, seq: 6 };
    for (let i = 0; i < 3; i++) await trainer.step(batch);
    trainer.dispose();
    const tuned = await model.logits(ids, 1, 6);
    expect(tuned.data).not.toEqual((await model.logits(ids, 1, 6, { useAdapter: false })).data);
    model.adapters.merge('a');
    const spec = modelSpec(llamaConfigJson(qwen));
    const files = spec.hfFiles(await model.exportWeights());
    expect(readSafetensors(files['model.safetensors']).tensors.has('model.layers.0.self_attn.q_proj.bias')).toBe(true);
    const reloaded = await loadCheckpoint(
      await openCheckpoint({
        config: files['config.json'],
        weights: [bytesSource(files['model.safetensors'], 'model.safetensors')],
      }),
    );
    expect((await reloaded.logits(ids, 1, 6)).data).toEqual((await model.logits(ids, 1, 6)).data);
    reloaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('GPT-2 with the hub names (no "transformer." prefix, mask buffers), F32 shards', async () => {
    const c = tinyGpt2Config();
    const w = initGpt2Weights(c, 4);
    const hub: TensorMap = new Map([...w].map(([n, t]) => [n.replace(/^transformer\./, ''), t]));
    hub.set('h.0.attn.bias', { shape: [1, 1, 8, 8], data: new Float32Array(64) });
    const { shards, index } = shardedCheckpoint(hub, 'F32', 8000);
    const plan = await openCheckpoint({
      config: gpt2ConfigJson(c),
      weights: [...shards].map(([n, b]) => bytesSource(b, n)),
      index,
    });
    const model = await loadCheckpoint(plan);
    const ref = modelSpec(gpt2ConfigJson(c)).fromWeights(w);
    const ids = Int32Array.from([1, 2, 3]);
    expect((await model.logits(ids, 1, 3)).data).toEqual((await ref.logits(ids, 1, 3)).data);
    model.dispose();
    ref.dispose();
  });
});

describe('weights the backend cannot hold are refused before anything is read', () => {
  it('a 4.3 GB float32 model on wasm (a 2.1 GB BF16 file that is never read)', async () => {
    await selectBackend({ force: 'wasm' });
    const c = tinyLlamaConfig({
      hidden_size: 1024,
      num_attention_heads: 8,
      num_key_value_heads: 8,
      head_dim: 128,
      vocab_size: 1_048_576,
      num_hidden_layers: 1,
      intermediate_size: 64,
      tie_word_embeddings: true,
    });
    const spec = modelSpec(llamaConfigJson(c));
    const header = safetensorsHeader(
      spec.naming().expected.map(([name, shape]) => ({ name, shape, dtype: 'BF16' as const })),
    );
    const dataBytes = spec.paramCount() * 2;
    let dataReads = 0;
    const huge: ByteSource = {
      name: 'model.safetensors',
      size: header.length + dataBytes,
      read: async (o, n) => {
        if (o + n > header.length) dataReads++;
        return header.slice(o, o + n);
      },
    };
    const plan = await openCheckpoint({ config: llamaConfigJson(c), weights: [huge] });
    expect(plan.float32Bytes).toBeGreaterThan(4 * 1024 ** 3);
    await expect(loadCheckpoint(plan)).rejects.toThrow(
      /The weights alone need 4\d{3} MiB as float32, over the 4096 MiB wasm can hold/,
    );
    expect(dataReads).toBe(0);
  });
});

describe('checkpoint checks (before any tensor is read)', () => {
  const w = initLlamaWeights(qwen, 5);
  const config = llamaConfigJson(qwen);
  const { shards, index } = shardedCheckpoint(w, 'BF16', 4000);
  const sources = () => [...shards].map(([n, b]) => bytesSource(b, n));
  const idx = JSON.parse(index) as { weight_map: Record<string, string> };
  const names = [...shards.keys()];
  const withMap = (m: Record<string, string>) => JSON.stringify({ weight_map: m });
  const refuses = async (input: Parameters<typeof openCheckpoint>[0], message: RegExp) => {
    const p = openCheckpoint(input);
    await expect(p).rejects.toBeInstanceOf(UserFacingError);
    await expect(p).rejects.toThrow(message);
  };

  it('index problems are named', async () => {
    await refuses({ config, weights: sources() }, /safetensors files but no model\.safetensors\.index\.json/);
    await refuses(
      { config, weights: sources().slice(1), index },
      new RegExp(`names "${names[0]}", which was not given`),
    );
    const first = Object.keys(idx.weight_map)[0];
    await refuses(
      { config, weights: sources(), index: withMap({ ...idx.weight_map, [first]: names[1] }) },
      /puts tensor "model\.embed_tokens\.weight" in "model-00002-of-/,
    );
    const { [first]: _drop, ...rest } = idx.weight_map;
    void _drop;
    await refuses(
      { config, weights: sources(), index: withMap(rest) },
      /does not list tensor "model\.embed_tokens\.weight"/,
    );
    await refuses(
      { config, weights: sources(), index: withMap({ ...idx.weight_map, 'model.extra': names[0] }) },
      /lists tensor "model\.extra" in "model-00001-of-\d+\.safetensors", which does not hold it/,
    );
    const extra = bytesSource(
      safetensorsBytes(new Map([['model.x', { shape: [1], data: new Float32Array(1) }]]), 'F32'),
      'model-00009-of-00009.safetensors',
    );
    await refuses(
      { config, weights: [...sources(), extra], index },
      /never names the given shard "model-00009-of-00009\.safetensors"/,
    );
    await refuses({ config, weights: sources(), index: '{"weight_map": []}' }, /has no "weight_map" object/);
    await refuses(
      { config, weights: sources(), index: withMap({ a: '../etc/passwd.safetensors' }) },
      /expected a \.safetensors file name/,
    );
  });

  it('duplicate tensors across shards, a bad header and missing weights name the file and tensor', async () => {
    const dup = bytesSource(
      safetensorsBytes(new Map([['model.norm.weight', w.get('model.norm.weight')!]]), 'F32'),
      'model-00009-of-00009.safetensors',
    );
    await refuses(
      { config, weights: [...sources(), dup], index },
      /tensor model\.norm\.weight is in both model-\d+-of-\d+\.safetensors and model-00009/,
    );
    const bad = new Uint8Array(16);
    new DataView(bad.buffer).setBigUint64(0, 1000n, true);
    await refuses(
      { config, weights: [bytesSource(bad, 'model.safetensors')] },
      /model\.safetensors: Invalid safetensors file: header length 1000 bytes runs past the end of the file \(16 bytes\)/,
    );
    const partial = new Map(w);
    partial.delete('model.layers.2.mlp.gate_proj.weight');
    await refuses(
      { config, weights: [bytesSource(safetensorsBytes(partial, 'BF16'), 'model.safetensors')] },
      /Qwen2 weights do not match config\.json: missing model\.layers\.2\.mlp\.gate_proj\.weight/,
    );
    await refuses(
      { config: { ...config, model_type: 'gemma' }, weights: sources(), index },
      /model_type "gemma" is not supported \(supported: gpt2, llama, qwen2\)/,
    );
    await expect(
      checkpointFromFolder([
        bytesSource(enc('{}'), 'config.json'),
        bytesSource(new Uint8Array(4), 'pytorch_model.bin'),
      ]),
    ).rejects.toThrow(/pytorch_model\.bin is a PyTorch pickle/);
    await expect(checkpointFromFolder([bytesSource(new Uint8Array(4), 'model.safetensors')])).rejects.toThrow(
      /config\.json is missing/,
    );
  });
});
