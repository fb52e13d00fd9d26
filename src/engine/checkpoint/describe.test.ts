import { describe, expect, it } from 'vitest';
import { llamaConfigJson, tinyLlamaConfig } from '../llama/config';
import { initLlamaWeights } from '../llama/params';
import { estimateModelMemory } from '../limits';
import { limitDims, limitDimsExact } from '../models/limitDims';
import { modelSpec } from '../models/registry';
import { bytesSource } from './byteSource';
import { describeCheckpoint } from './describe';
import { checkpointFromFolder, openCheckpoint } from './open';
import { shardedCheckpoint } from './write';

const GPT2_124M = { model_type: 'gpt2', vocab_size: 50257, n_positions: 1024, n_embd: 768, n_layer: 12, n_head: 12 };
const SMOL = {
  model_type: 'llama',
  hidden_size: 576,
  intermediate_size: 1536,
  num_hidden_layers: 30,
  num_attention_heads: 9,
  num_key_value_heads: 3,
  max_position_embeddings: 8192,
  rope_theta: 100000,
  tie_word_embeddings: true,
  vocab_size: 49152,
};
const QWEN = {
  model_type: 'qwen2',
  hidden_size: 896,
  intermediate_size: 4864,
  num_hidden_layers: 24,
  num_attention_heads: 14,
  num_key_value_heads: 2,
  max_position_embeddings: 32768,
  rope_theta: 1000000,
  tie_word_embeddings: true,
  vocab_size: 151936,
};

describe('limits and the registry agree on sizes', () => {
  it("the shared closed form (limits.ts) gives each family's own count: GPT-2-124M, SmolLM2-135M; Qwen2's q/k/v biases as extraParams", () => {
    for (const [config, params] of [
      [GPT2_124M, 124_439_808],
      [SMOL, 134_515_008],
    ] as const) {
      const spec = modelSpec(config);
      expect(spec.paramCount()).toBe(params);
      expect(estimateModelMemory(limitDims(spec)).params).toBe(params);
    }
    const qwen = modelSpec(QWEN);
    expect(qwen.paramCount()).toBe(494_032_768);
    const extra = limitDimsExact(qwen).extraParams!;
    expect(extra).toBe(24 * (896 + 2 * 128)); // q, k and v biases of every layer
    expect(estimateModelMemory(limitDimsExact(qwen)).params).toBe(494_032_768);
  });
});

describe('describeCheckpoint', () => {
  it('family, sizes, dtype and the LoRA / full estimates of a sharded BF16 Llama, from the headers alone', async () => {
    const c = tinyLlamaConfig({ vocab_size: 64, max_position_embeddings: 32 });
    const { shards, index } = shardedCheckpoint(initLlamaWeights(c, 1), 'BF16', 3000);
    const files = [
      bytesSource(new TextEncoder().encode(JSON.stringify(llamaConfigJson(c))), 'config.json'),
      bytesSource(new TextEncoder().encode(index), 'model.safetensors.index.json'),
      ...[...shards].map(([n, b]) => bytesSource(b, n)),
    ];
    const d = describeCheckpoint(await openCheckpoint(await checkpointFromFolder(files)), {
      rank: 8,
      batch: 2,
      seq: 16,
    });
    const spec = modelSpec(llamaConfigJson(c));
    expect(d).toMatchObject({
      family: 'llama',
      familyLabel: 'Llama',
      params: spec.paramCount(),
      dtypes: ['BF16'],
      fileBytes: 2 * spec.paramCount(),
      loadedBytes: 4 * spec.paramCount(),
      defaultTargets: ['q_proj', 'v_proj'],
    });
    expect(d.dims).toMatchObject({ layers: 2, hidden: 16, heads: 4, kvHeads: 2, vocabSize: 64 });
    expect(d.targetNames).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
    // 2 layers × (q 16→16 + v 16→8) × r 8
    expect(d.lora.trainableBytes).toBe(4 * 2 * 8 * (32 + 24));
    expect(d.lora.weightsBytes).toBe(d.loadedBytes);
    expect(d.full.totalBytes).toBeGreaterThan(d.lora.totalBytes);
  });
});
