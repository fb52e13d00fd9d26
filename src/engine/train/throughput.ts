/**
 * The one definition of a run's speed, used by the Worker's result, the Train page's live panel,
 * its comparison table and the benchmark: the first step is warm-up (shader compilation, first
 * allocations) and is reported on its own; the speed is the median step time of the steps after
 * it, and tokens/s = batch × sequence length / that median.
 */
export interface Throughput {
  /** The first step's time in ms (warm-up), or null before any step. */
  firstStepMs: number | null;
  /** Median ms per step over steps 2…n (step 1 when it is the only one), or null before any step. */
  medianMsPerStep: number | null;
  /** 1000 / medianMsPerStep. */
  stepsPerSec: number | null;
  /** tokensPerStep × 1000 / medianMsPerStep. */
  tokensPerSec: number | null;
}

/** Median of `xs` (the upper middle for an even count), or null when empty. */
function median(xs: readonly number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * @param msPerStep every step's time so far, in ms, in order (step 1 first)
 * @param tokensPerStep batch × sequence length
 */
export function throughput(msPerStep: readonly number[], tokensPerStep: number): Throughput {
  const firstStepMs = msPerStep[0] ?? null;
  const med = median(msPerStep.length > 1 ? msPerStep.slice(1) : msPerStep);
  const ok = med !== null && med > 0;
  return {
    firstStepMs,
    medianMsPerStep: med,
    stepsPerSec: ok ? 1000 / med : null,
    tokensPerSec: ok ? (tokensPerStep * 1000) / med : null,
  };
}
