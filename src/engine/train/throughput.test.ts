import { describe, expect, it } from 'vitest';
import { throughput } from './throughput';

describe('throughput', () => {
  it('leaves the warm-up step out of the median and derives steps/s and tokens/s from it', () => {
    // A slow first step (compilation), then 100, 120, 110, 90 ms: median of the last four = 110.
    const t = throughput([900, 100, 120, 110, 90], 16 * 32);
    expect(t.firstStepMs).toBe(900);
    expect(t.medianMsPerStep).toBe(110);
    expect(t.stepsPerSec).toBeCloseTo(1000 / 110, 12);
    expect(t.tokensPerSec).toBeCloseTo((16 * 32 * 1000) / 110, 9);
    // steps/s and tokens/s can never contradict each other: their ratio is tokens per step.
    expect(t.tokensPerSec! / t.stepsPerSec!).toBeCloseTo(16 * 32, 9);
  });
  it('uses the only step when there is one, and nothing before the first', () => {
    expect(throughput([250], 8).medianMsPerStep).toBe(250);
    expect(throughput([], 8)).toEqual({
      firstStepMs: null,
      medianMsPerStep: null,
      stepsPerSec: null,
      tokensPerSec: null,
    });
  });
});
