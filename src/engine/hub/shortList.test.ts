import { describe, expect, it } from 'vitest';
import { describeHubArch } from './hubArch';
import { estimateTrainingMemory } from './memoryEstimate';
import { SHORT_LIST, shortListArch } from './shortList';

/**
 * Parameter counts. Published elsewhere: gpt2 (the safetensors docs' metadata example, F32 137,022,720
 * stored elements minus 12 × 1024² mask elements), SmolLM2-360M (361,821,120 in a public architecture
 * census), TinyLlama (params_total 1,100,048,384 from its safetensors metadata). The other three
 * (model cards round them: 82M, 135M, 0.49B) are held to their exact file sizes by the next test.
 */
const PUBLISHED: Record<string, number> = {
  'openai-community/gpt2': 124_439_808,
  'distilbert/distilgpt2': 81_912_576,
  'HuggingFaceTB/SmolLM2-135M': 134_515_008,
  'HuggingFaceTB/SmolLM2-360M': 361_821_120,
  'Qwen/Qwen2.5-0.5B': 494_032_768,
  'TinyLlama/TinyLlama-1.1B-Chat-v1.0': 1_100_048_384,
};

describe('the short list of bases', () => {
  it('computes each parameter count from the config and matches the published one', () => {
    for (const m of SHORT_LIST) expect(shortListArch(m).params, m.repo).toBe(PUBLISHED[m.repo]);
  });

  it("has file sizes that are 8 bytes + a small JSON header + the tensors' bytes", () => {
    for (const m of SHORT_LIST) {
      const tensorBytes = (shortListArch(m).params + m.bufferElements) * (m.dtype === 'F32' ? 4 : 2);
      const header = m.safetensorsBytes - 8 - tensorBytes;
      expect(header, m.repo).toBeGreaterThan(1000);
      expect(header, m.repo).toBeLessThan(64 * 1024);
    }
  });

  it('counts Qwen2 as Llama plus q/k/v biases and finds PEFT default targets', () => {
    const qwen = SHORT_LIST.find((m) => m.repo === 'Qwen/Qwen2.5-0.5B')!;
    const asLlama = describeHubArch({ ...qwen.config, model_type: 'llama' });
    expect(shortListArch(qwen).params - asLlama.params).toBe(24 * (896 + 2 * 128));
    expect(shortListArch(qwen).defaultTargets).toEqual(['q_proj', 'v_proj']);
    expect(describeHubArch(SHORT_LIST[0].config).defaultTargets).toEqual(['c_attn']);
  });

  it('estimates memory from the parts, growing with batch and sequence', () => {
    const gpt2 = shortListArch(SHORT_LIST[1]);
    const e = estimateTrainingMemory(gpt2, { batch: 8, seq: 128, rank: 8 });
    expect(e.weights).toBe(124_439_808 * 4);
    expect(e.lora).toBe(12 * 8 * (768 + 3 * 768) * 16); // c_attn in 12 layers, r = 8, ×4 floats ×4 bytes
    expect(e.total).toBe(e.weights + e.lora + e.activations);
    const bigger = estimateTrainingMemory(gpt2, { batch: 16, seq: 128, rank: 8 });
    expect(bigger.activations).toBeCloseTo(2 * e.activations, 0);
    // Qwen's 152k vocabulary makes the logits dominate its activations.
    const qwen = estimateTrainingMemory(shortListArch(SHORT_LIST[4]));
    expect(qwen.activations).toBeGreaterThan(8 * 128 * 3 * 151936 * 4);
  });
});
