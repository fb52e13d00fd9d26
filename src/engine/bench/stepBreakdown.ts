/**
 * Where one training step's time goes on webgpu: dispatches per shader program, submits, upload
 * and read-back bytes (counted on one step after warm-up), and kernel time by tfjs op (tf.profile
 * on another step: profiling ends a compute pass per kernel, so its wall time is not the step's).
 */
import { Rng } from '../rng';
import { LmTrainer, type TrainMode } from '../train/lmTrainer';
import type { TokenBatch } from '../types';
import { benchSpec, type BenchConfig } from './benchModel';
import { lmStepFlops } from './flops';
import { countGpuWork, kernelTimes, type GpuWork, type KernelTimes } from './gpuCounters';

export interface StepBreakdownOptions {
  label: string;
  /** A parsed config of any family (random weights are made from it). */
  config: BenchConfig;
  mode: TrainMode;
  batch: number;
  seq: number;
  r: number;
  targets: string[];
  /** Steps before counting (shader compilation, buffer pool). Default 2. */
  warmup?: number;
  /** Also run tf.profile for kernel time by op. Default true (never when dry). */
  profile?: boolean;
  /**
   * Count without running (gpuCounters' compile-only mode): exact dispatches, uploads and
   * read-backs at shapes the device cannot run in time; no times, and the model's weights are junk after.
   */
  dry?: boolean;
}

export interface StepBreakdown {
  label: string;
  mode: TrainMode;
  batch: number;
  seq: number;
  params: number;
  trainable: number;
  /** True when counted dry (nothing ran: the times below are NaN). */
  dry: boolean;
  firstStepMs: number;
  /** Wall time of the counted step (counting itself costs next to nothing). */
  stepMs: number;
  tokensPerSec: number;
  achievedGflops: number;
  work: GpuWork;
  kernels?: KernelTimes;
}

/** Random ids: fixed shapes, and the contents do not change what a step dispatches. */
export function randomBatch(rng: Rng, V: number, batch: number, seq: number): TokenBatch {
  const n = batch * seq;
  const input = new Int32Array(n);
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    input[i] = rng.int(V);
    target[i] = rng.int(V);
  }
  return { input, target, batch, seq };
}

/** Train a random-weight model a few steps on the current (webgpu) backend and break one step down. */
export async function stepBreakdown(o: StepBreakdownOptions): Promise<StepBreakdown> {
  const rng = new Rng(1);
  const spec = benchSpec(o.config);
  const model = spec.random(1);
  if (o.mode === 'lora') await model.adapters.add('bench', { r: o.r, lora_alpha: o.r, target_modules: o.targets }, 1);
  const warmup = Math.max(1, o.warmup ?? 2);
  const trainer = new LmTrainer(model, {
    mode: o.mode,
    learningRate: 1e-3,
    totalSteps: warmup + 2,
    warmupSteps: 1,
  });
  const batch = randomBatch(rng, spec.dims.vocabSize, o.batch, o.seq);
  const dry = o.dry === true;
  try {
    let firstStepMs = NaN;
    for (let i = 0; i < warmup; i++) {
      // Dry warm-up too: step 1 also makes the model's cached constants (mask, wteᵀ).
      const st = dry ? (await countGpuWork(() => trainer.step(batch), true)).result : await trainer.step(batch);
      if (i === 0 && !dry) firstStepMs = st.msPerStep;
    }
    const { result: st, work } = await countGpuWork(() => trainer.step(batch), dry);
    if (st.stopped) throw new Error(`the counted step stopped: ${st.stopped}`);
    const kernels = o.profile === false || dry ? undefined : await kernelTimes(() => trainer.step(batch));
    const stepMs = dry ? NaN : st.msPerStep;
    const adapted = model.adapters.active ? model.adapters.paramCount('bench') / o.r : 0;
    const flops = lmStepFlops({ dims: spec.dims, linears: spec.linears() }, o.batch, o.seq, o.r, adapted);
    const perStep = o.mode === 'full' ? flops.full : flops.lora;
    return {
      label: o.label,
      mode: o.mode,
      batch: o.batch,
      seq: o.seq,
      params: model.baseParamCount(),
      trainable: trainer.trainableCount(),
      dry,
      firstStepMs,
      stepMs,
      tokensPerSec: (o.batch * o.seq * 1000) / stepMs,
      achievedGflops: perStep / 1e6 / stepMs,
      work,
      kernels,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}
