import { describe, expect, it } from 'vitest';
import { memoryProblem, trainingMemory, type MemoryInput } from './memoryEstimate';

const MiB = 1024 * 1024;
/** GPT-2 small (124,439,808 parameters), LoRA r 8 on c_attn (294,912), batch 2 × 64. */
const gpt2: MemoryInput = {
  family: 'gpt2',
  layers: 12,
  hidden: 768,
  heads: 12,
  kvHeads: 12,
  headDim: 64,
  inner: 3072,
  vocabSize: 50257,
  paramCount: 124_439_808,
  largestWeight: 50257 * 768,
  mode: 'lora',
  trainableParams: 294_912,
  adaptedModules: 12,
  rank: 8,
  batch: 2,
  seq: 64,
};
const wasm = { backend: 'wasm', maxTotalBytes: 4294901760, maxBufferBytes: null };

describe('trainingMemory', () => {
  it('weights are 4 bytes a parameter; LoRA state is small; the parts add up', () => {
    const e = trainingMemory(gpt2);
    expect(e.weightsBytes).toBe(4 * 124_439_808);
    expect(e.optimizerBytes).toBe(8 * 294_912);
    const parts = e.weightsBytes + e.trainableBytes + e.optimizerBytes + e.trainerBytes + e.activationBytes;
    expect(e.totalBytes).toBe(parts + e.logitsBytes + e.transientBytes);
    expect(e.totalBytes / MiB).toBeGreaterThan(550);
    expect(e.totalBytes / MiB).toBeLessThan(1000);
    expect(e.largestBufferBytes).toBe(4 * 50257 * 768); // wte
  });

  it('grows with batch × sequence; full fine-tuning needs Adam state for every weight', () => {
    const small = trainingMemory(gpt2).activationBytes;
    expect(trainingMemory({ ...gpt2, batch: 4 }).activationBytes).toBeCloseTo(2 * small, -3);
    const full = trainingMemory({ ...gpt2, mode: 'full', trainableParams: gpt2.paramCount });
    expect(full.optimizerBytes).toBe(8 * gpt2.paramCount);
    expect(full.totalBytes).toBeGreaterThan(4 * full.weightsBytes);
    const inference = trainingMemory({ ...gpt2, mode: 'inference' });
    expect(inference.optimizerBytes + inference.activationBytes).toBe(0);
  });

  it('over the limit: the estimate and a way out; a buffer too large for WebGPU is named', () => {
    expect(memoryProblem(trainingMemory(gpt2), wasm, gpt2)).toBeNull();
    const full = { ...gpt2, mode: 'full' as const, trainableParams: gpt2.paramCount, batch: 16, seq: 1024 };
    const msg = memoryProblem(trainingMemory(full), wasm, full)!;
    expect(msg).toMatch(
      /would take about \d+ MiB \(weights 475 MiB, activations \d+ MiB, optimizer \d+ MiB\), over the 4096 MiB wasm can hold/,
    );
    expect(msg).toMatch(/a smaller batch or sequence length, or LoRA instead of full fine-tuning, or another backend/);
    const gpu = { backend: 'webgpu', maxTotalBytes: null, maxBufferBytes: 128 * MiB };
    expect(memoryProblem(trainingMemory(gpt2), gpu, gpt2)).toMatch(
      /The largest tensor needs 148 MiB in one buffer, over webgpu's 128 MiB limit/,
    );
  });
});
