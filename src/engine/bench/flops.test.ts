import { describe, expect, it } from 'vitest';
import { parseGpt2Config } from '../gpt2/config';
import { benchSpec, SMOLLM2_135M } from './benchModel';
import { lmStepFlops } from './flops';

const shape = (s: ReturnType<typeof benchSpec>) => ({ dims: s.dims, linears: s.linears() });

describe('lmStepFlops', () => {
  it('GPT-2-124M at 8 × 128, r 8 on c_attn: the closed form by hand', () => {
    const spec = benchSpec(
      parseGpt2Config({
        model_type: 'gpt2',
        vocab_size: 50257,
        n_positions: 1024,
        n_embd: 768,
        n_layer: 12,
        n_head: 12,
      }),
    );
    const N = 8 * 128;
    const C = 768;
    const linear = 12 * (3 * C * C + C * C + 2 * 4 * C * C);
    const forward = 2 * N * (linear + C * 50257) + 2 * 12 * 2 * 8 * 128 * 128 * C;
    const adapted = 12 * (C + 3 * C);
    const f = lmStepFlops(shape(spec), 8, 128, 8, adapted);
    expect(f.forward).toBe(forward);
    expect(f.lora).toBe(2 * forward + 3 * 2 * N * 8 * adapted);
    expect(f.full).toBe(3 * (forward + 2 * N * C * 50257)); // full mode's one-hot embedding product
  });

  it('SmolLM2-135M: grouped-query k/v, gate/up/down, tied head', () => {
    const spec = benchSpec(SMOLLM2_135M);
    const H = 576;
    const kv = 3 * 64;
    const linear = 30 * (H * H + 2 * H * kv + H * H + 3 * H * 1536);
    const N = 2 * 16;
    const forward = 2 * N * (linear + H * 49152) + 2 * 30 * 2 * 2 * 16 * 16 * H;
    expect(lmStepFlops(shape(spec), 2, 16, 8, 0).forward).toBe(forward);
    expect(spec.family).toBe('llama');
    expect(spec.paramCount()).toBe(134_515_008);
  });
});
