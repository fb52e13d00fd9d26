import { describe, expect, it } from 'vitest';
import { ASK_ABOVE_BYTES, estimateMemory, sortFiles } from './byoFiles';

const gpt2Small = JSON.stringify({
  model_type: 'gpt2',
  vocab_size: 50257,
  n_positions: 1024,
  n_embd: 768,
  n_layer: 12,
  n_head: 12,
});

describe('bring your own GPT-2', () => {
  it('sorts files by their Hugging Face names and names what is missing or ignored', () => {
    const s = sortFiles([
      { name: 'config.json', size: 1 },
      { name: 'model.safetensors', size: 2 },
      { name: 'vocab.json', size: 3 },
    ]);
    expect(Object.keys(s.byName).sort()).toEqual(['config.json', 'model.safetensors']);
    expect(s.missing).toEqual(['tokenizer.json']);
    expect(s.ignored).toEqual(['vocab.json']);
  });

  it("counts GPT-2 small's 124,439,808 parameters and asks before loading ~500 MB", () => {
    const e = estimateMemory(gpt2Small, 548_105_171);
    expect(e.params).toBe(124_439_808);
    expect(e.large).toBe(true);
    expect(e.loraTrainingBytes).toBeGreaterThan(e.loadedBytes);
    expect(e.fullTrainingBytes).toBeGreaterThan(e.loraTrainingBytes);
  });

  it('does not ask for a tiny model, and counts fp16 files at their float32 size', () => {
    const tiny = JSON.stringify({ vocab_size: 97, n_positions: 32, n_embd: 32, n_layer: 2, n_head: 2 });
    const e = estimateMemory(tiny, 118_400); // 29,600 float32 parameters
    expect(e.large).toBe(false);
    expect(e.loadedBytes).toBe(e.params * 4);
    expect(ASK_ABOVE_BYTES).toBe(300e6);
  });

  it('answers at once for absurd configs: n_layer 1e6 is over the bound, n_layer 1000 over the memory limit', () => {
    const t0 = performance.now();
    const withLayers = (n: number) => JSON.stringify({ ...JSON.parse(gpt2Small), n_layer: n });
    expect(() => estimateMemory(withLayers(1e6), 548_105_171)).toThrow(
      /"n_layer" is 1000000, but at most 1,024 layers/,
    );
    expect(() => estimateMemory(withLayers(1000), 548_105_171)).toThrow(
      /describes 7\.127e\+9 parameters, 26\.6 GiB as float32: over the 4\.0 GiB a browser tab can hold here/,
    );
    expect(() => estimateMemory(gpt2Small, 5 * 1024 ** 3)).toThrow(/The weights file is 5\.0 GiB/);
    const ms = performance.now() - t0;
    console.info(`estimateMemory at n_layer 1e6 and 1000: ${ms.toFixed(1)} ms for both`);
    expect(ms).toBeLessThan(1000);
  });

  it('reports a malformed config by field name', () => {
    expect(() =>
      estimateMemory(JSON.stringify({ vocab_size: 97, n_positions: 32, n_embd: 30, n_layer: 2, n_head: 4 }), 10),
    ).toThrow(/n_embd \(30\) must be divisible by n_head \(4\)/);
    expect(() => estimateMemory('{', 10)).toThrow(/not valid JSON/);
  });
});
