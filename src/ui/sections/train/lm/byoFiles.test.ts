import { describe, expect, it } from 'vitest';
import { shardedCheckpoint } from '../../../../engine/checkpoint/write';
import { llamaConfigJson, tinyLlamaConfig } from '../../../../engine/llama/config';
import { initLlamaWeights } from '../../../../engine/llama/params';
import { ASK_ABOVE_BYTES, baseFilesOf, inspectCheckpoint, sortFiles } from './byoFiles';

const gpt2Small = JSON.stringify({
  model_type: 'gpt2',
  vocab_size: 50257,
  n_positions: 1024,
  n_embd: 768,
  n_layer: 12,
  n_head: 12,
});

/** A File of `size` bytes that is never read (the limits answer from sizes alone). */
const sized = (name: string, size: number) => ({ name, size }) as unknown as File;

describe('load your own model: files', () => {
  it('sorts files by their Hugging Face names and names what is missing or ignored', () => {
    const s = sortFiles([
      { name: 'config.json', size: 1 },
      { name: 'model.safetensors', size: 2 },
      { name: 'vocab.json', size: 3 },
    ]);
    expect(s.config?.name).toBe('config.json');
    expect(s.weights.map((f) => f.name)).toEqual(['model.safetensors']);
    expect(s.missing).toEqual(['tokenizer.json']);
    expect(s.ignored).toEqual(['vocab.json']);
  });

  it('takes the shards in order with their index, and asks for the index when it is missing', () => {
    const shard = (i: number) => ({ name: `model-0000${i}-of-00003.safetensors`, size: 10 });
    const files = [shard(3), shard(1), { name: 'config.json', size: 1 }, { name: 'tokenizer.json', size: 1 }, shard(2)];
    const s = sortFiles([...files, { name: 'model.safetensors.index.json', size: 1 }]);
    expect(s.weights.map((f) => f.name)).toEqual([1, 2, 3].map((i) => shard(i).name));
    expect(s.missing).toEqual([]);
    expect(sortFiles(files).missing).toEqual(['model.safetensors.index.json']);
  });
});

describe('load your own model: what it is and will take', () => {
  it('a sharded BF16 Llama: family, heads and kv heads, dtype and the LoRA / full estimates, from the headers', async () => {
    const c = tinyLlamaConfig({ vocab_size: 64, max_position_embeddings: 32 });
    const { shards, index } = shardedCheckpoint(initLlamaWeights(c, 1), 'BF16', 3000);
    const files = [
      new File([JSON.stringify(llamaConfigJson(c))], 'config.json'),
      new File([index], 'model.safetensors.index.json'),
      new File(['{}'], 'tokenizer.json'),
      ...[...shards].map(([n, b]) => new File([b as Uint8Array<ArrayBuffer>], n)),
    ];
    const sorted = sortFiles(files);
    const e = await inspectCheckpoint(await sorted.config!.text(), sorted, index);
    expect(e).toMatchObject({ familyLabel: 'Llama', dtypes: ['BF16'], large: false });
    expect(e.dims).toMatchObject({ layers: 2, heads: 4, kvHeads: 2, hidden: 16, vocabSize: 64 });
    expect(e.defaultTargets).toEqual(['q_proj', 'v_proj']);
    expect(e.full.totalBytes).toBeGreaterThan(e.lora.totalBytes);
    const base = await baseFilesOf('tiny', sorted);
    expect(Array.isArray(base.weights) && base.weights.map((w) => w.name)).toEqual([...shards.keys()]);
    expect(base.index).toBe(index);
    expect(ASK_ABOVE_BYTES).toBe(300e6);
  });

  it('answers at once for absurd configs, before any header is read: n_layer 1e6 over the bound, 1000 over the memory limit', async () => {
    const t0 = performance.now();
    const withLayers = (n: number) => JSON.stringify({ ...JSON.parse(gpt2Small), n_layer: n });
    const sorted = sortFiles([
      sized('config.json', 1),
      sized('tokenizer.json', 1),
      sized('model.safetensors', 548_105_171),
    ]);
    await expect(inspectCheckpoint(withLayers(1e6), sorted)).rejects.toThrow(
      /"n_layer" is 1000000, but at most 1,024 layers/,
    );
    await expect(inspectCheckpoint(withLayers(1000), sorted)).rejects.toThrow(
      /describes 7\.127e\+9 parameters, 26\.6 GiB as float32: over the 4\.0 GiB a browser tab can hold here/,
    );
    const huge = sortFiles([
      sized('config.json', 1),
      sized('tokenizer.json', 1),
      sized('model.safetensors', 5 * 1024 ** 3),
    ]);
    await expect(inspectCheckpoint(gpt2Small, huge)).rejects.toThrow(/The weights file is 5\.0 GiB/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('reports a malformed config by field name, and an unknown family with the supported ones', async () => {
    const sorted = sortFiles([sized('config.json', 1), sized('tokenizer.json', 1), sized('model.safetensors', 10)]);
    await expect(
      inspectCheckpoint(JSON.stringify({ vocab_size: 97, n_positions: 32, n_embd: 30, n_layer: 2, n_head: 4 }), sorted),
    ).rejects.toThrow(/n_embd \(30\) must be divisible by n_head \(4\)/);
    await expect(inspectCheckpoint('{', sorted)).rejects.toThrow(/not valid JSON/);
    await expect(inspectCheckpoint(JSON.stringify({ model_type: 'mamba' }), sorted)).rejects.toThrow(
      /model_type "mamba" is not supported \(supported: gpt2, llama, qwen2\)/,
    );
  });
});
