import { describe, expect, it } from 'vitest';
import { checkpointSizes, fullFineTuneMemory, loraMemory } from './memory';

const GPT2 = 124_439_808;
const LORA = 294_912;

describe('training memory', () => {
  it('full fine-tuning with Adam in fp32 = 16 bytes per parameter (weights, grads, m, v)', () => {
    const m = fullFineTuneMemory(GPT2, 'fp32');
    expect(m.total).toBe(16 * GPT2);
    expect(m.adamM + m.adamV).toBe(8 * GPT2);
  });
  it('mixed precision full fine-tuning is also 16 B/param (2 + 2 + 4 master + 4 + 4)', () => {
    expect(fullFineTuneMemory(GPT2, 'mixed').total).toBe(16 * GPT2);
  });
  it('LoRA: the frozen base costs its weights only; the adapter 16 B/param', () => {
    expect(loraMemory(GPT2, LORA, 'fp32').total).toBe(4 * GPT2 + 16 * LORA);
    expect(loraMemory(GPT2, LORA, 'mixed').total).toBe(2 * GPT2 + 16 * LORA);
    expect(loraMemory(GPT2, LORA, 'fp32').adamM).toBe(4 * LORA);
  });
});

describe('checkpoints', () => {
  it('one adapter vs one full copy, and 100 of each', () => {
    const c = checkpointSizes(GPT2, LORA, 'fp32', 100);
    expect(c.adapter).toBe(1_179_648);
    expect(c.full).toBe(497_759_232);
    expect(c.fulls).toBe(100 * 497_759_232);
    expect(c.baseAndAdapters).toBe(497_759_232 + 117_964_800);
    expect(checkpointSizes(GPT2, LORA, 'fp16', 1).adapter).toBe(589_824);
  });
});
