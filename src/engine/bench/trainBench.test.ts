import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tinyGpt2Config } from '../gpt2/config';
import { tinyLlamaConfig } from '../llama/config';
import { tf } from '../tf';
import { benchTraining } from './trainBench';

describe('benchTraining on any family (cpu)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'cpu' });
  });

  it.each([
    ['gpt2', tinyGpt2Config(), ['c_attn']],
    ['llama', tinyLlamaConfig({ tie_word_embeddings: true }), ['q_proj', 'v_proj']],
  ] as const)('%s: LoRA steps on the targets, FLOPs counted, nothing left behind', async (_f, config, targets) => {
    const before = tf.memory().numTensors;
    const r = await benchTraining({
      label: 'tiny',
      config,
      mode: 'lora',
      steps: 3,
      batch: 2,
      seq: 4,
      r: 2,
      targets: [...targets],
    });
    expect(r.trainable).toBeGreaterThan(0);
    expect(r.gflopPerStep).toBeGreaterThan(0);
    expect(Number.isFinite(r.medianMsPerStep)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });
});
