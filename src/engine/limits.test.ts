import { describe, expect, it } from 'vitest';
import { gpt2Dims, parseGpt2Config, tinyGpt2Config } from './gpt2/config';
import { gpt2ParamCount, gpt2ParamShapes } from './gpt2/params';
import {
  assertModelFits,
  boundedInt,
  bytesText,
  estimateModelMemory,
  MAX_WEIGHT_BYTES,
  type ModelDims,
} from './limits';
import { describeModel } from './paramCount';
import { sizeOf } from './types';

const gpt2 = (o: Record<string, unknown>) =>
  JSON.stringify({
    model_type: 'gpt2',
    vocab_size: 50257,
    n_positions: 1024,
    n_embd: 768,
    n_layer: 12,
    n_head: 12,
    ...o,
  });

describe('model limits and the closed-form memory estimate (issue 12, item 4)', () => {
  it('the closed form equals the sum over every GPT-2 tensor', () => {
    for (const c of [
      tinyGpt2Config(),
      tinyGpt2Config({ n_layer: 5, n_embd: 24, n_head: 3, n_inner: 40, vocab_size: 301, n_positions: 17 }),
      parseGpt2Config(gpt2({})),
    ]) {
      const summed = gpt2ParamShapes(c).reduce((n, [, s]) => n + sizeOf(s), 0);
      expect(gpt2ParamCount(c)).toBe(summed);
    }
    expect(gpt2ParamCount(parseGpt2Config(gpt2({})))).toBe(124_439_808);
  });

  it('serves other families with their own numbers: Llama (GQA, gated MLP, RMSNorm, untied head)', () => {
    const llama = {
      model_type: 'llama',
      vocab_size: 32000,
      hidden_size: 4096,
      intermediate_size: 11008,
      num_hidden_layers: 32,
      num_attention_heads: 32,
      num_key_value_heads: 8,
    };
    const dims: ModelDims = {
      family: 'Llama',
      layers: 32,
      hidden: 4096,
      heads: 32,
      kvHeads: 8,
      vocab: 32000,
      positions: 4096,
      inner: 11008,
      tied: false,
      learnedPositions: false,
      gatedMlp: true,
      biases: false,
      norm: 'rmsnorm',
    };
    expect(estimateModelMemory(dims).params).toBe(describeModel(llama).base);
    expect(estimateModelMemory({ ...dims, kvHeads: 32 }).params).toBe(6_738_415_616); // Llama-2-7B
    expect(() => assertModelFits({ ...dims, kvHeads: 32 })).toThrow(
      /This Llama config \(32 layers × 4096 wide, vocab 32000\) describes 6\.738e\+9 parameters, 25\.1 GiB as float32: over the 4\.0 GiB a browser tab can hold here/,
    );
  });

  it('bounds every config number, with the value and the bound', () => {
    expect(() => boundedInt(1e8, 'n_layer', 'layers')).toThrow(
      /config\.json: "n_layer" is 100000000, but at most 1,024 layers can be held in a browser tab here/,
    );
    expect(() => boundedInt(1e15, 'n_layer', 'layers')).toThrow(/"n_layer" is 1000000000000000/);
    expect(() => boundedInt(2 ** 53 + 2, 'vocab_size', 'vocab')).toThrow(/at most 2,097,152 tokens/);
    expect(() => boundedInt(-3, 'n_head', 'heads')).toThrow(/must be a positive integer, got -3/);
    expect(() => parseGpt2Config(gpt2({ n_inner: 1e9 }))).toThrow(
      /"n_inner" is 1000000000, but at most 262,144 as the MLP width/,
    );
    expect(() => parseGpt2Config(gpt2({ n_positions: 1e300 }))).toThrow(/at most 1,048,576 positions/);
    expect(() =>
      describeModel({
        model_type: 'llama',
        vocab_size: 32000,
        hidden_size: 64,
        intermediate_size: 128,
        num_hidden_layers: 1e15,
      }),
    ).toThrow(/at most 1,024 layers/);
  });

  it('refuses in closed form what fits each bound but not a tab, and a file that cannot hold the weights', () => {
    const t0 = performance.now();
    expect(() => assertModelFits(gpt2Dims(parseGpt2Config(gpt2({ n_layer: 1000 }))))).toThrow(
      /describes 7\.127e\+9 parameters, 26\.6 GiB as float32: over the 4\.0 GiB/,
    );
    expect(() =>
      assertModelFits(gpt2Dims(parseGpt2Config(gpt2({ n_positions: 1_000_000, n_embd: 1024, n_head: 8 })))),
    ).toThrow(/over the 4\.0 GiB|one tensor/);
    expect(performance.now() - t0).toBeLessThan(100);
    const small = gpt2Dims(tinyGpt2Config());
    const { params } = estimateModelMemory(small);
    expect(() => assertModelFits(small, params)).toThrow(
      /at least .* even as 16-bit floats\), but the weights file is only/,
    );
    expect(assertModelFits(small, 2 * params).params).toBe(params); // an F16 file holds exactly this
    expect(() => assertModelFits(small, MAX_WEIGHT_BYTES + 1)).toThrow(/The weights file is 4\.0 GiB/);
  });

  it('formats bytes in binary units', () => {
    expect(bytesText(512)).toBe('512 B');
    expect(bytesText(1536)).toBe('1.5 KiB');
    expect(bytesText(4 * 1024 ** 3)).toBe('4.0 GiB');
    expect(bytesText(4e22)).toMatch(/e\+\d+ PiB$/);
  });
});
