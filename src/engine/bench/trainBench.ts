/**
 * Training-step benchmarks that run unchanged in Node and in a browser page: one model config
 * (any family: GPT-2, Llama, Qwen2), one mode, fixed shapes; first (warm-up) step reported apart
 * from the steady median; tensor and byte drift between step 10 and the last step; a
 * square-matmul reference on the same backend.
 */
import { Rng } from '../rng';
import { tf } from '../tf';
import { LmTrainer, type TrainMode } from '../train/lmTrainer';
import type { TokenBatch } from '../types';
import { benchSpec, type BenchConfig } from './benchModel';
import { lmStepFlops } from './flops';
import { throughput } from '../train/throughput';

export interface TrainBenchOptions {
  label: string;
  /** A parsed config of any family (random weights are made from it). */
  config: BenchConfig;
  mode: TrainMode;
  steps: number;
  batch: number;
  seq: number;
  r: number;
  targets: string[];
  seed?: number;
}

export interface TrainBenchResult {
  backend: string;
  label: string;
  mode: TrainMode;
  params: number;
  trainable: number;
  batch: number;
  seq: number;
  steps: number;
  firstStepMs: number;
  medianMsPerStep: number;
  tokensPerSec: number;
  gflopPerStep: number;
  achievedGflops: number;
  optimizerStateBytes: number;
  tensorsAtStep10: number;
  tensorsAtEnd: number;
  bytesAtStep10: number;
  bytesAtEnd: number;
  peakBytes: number;
}

function randomBatch(rng: Rng, V: number, batch: number, seq: number): TokenBatch {
  const n = batch * seq;
  const input = new Int32Array(n);
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    input[i] = rng.int(V);
    target[i] = rng.int(V);
  }
  return { input, target, batch, seq };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

export async function benchTraining(o: TrainBenchOptions): Promise<TrainBenchResult> {
  const rng = new Rng(o.seed ?? 1);
  const spec = benchSpec(o.config);
  const model = spec.random(o.seed ?? 1);
  if (o.mode === 'lora') await model.adapters.add('bench', { r: o.r, lora_alpha: o.r, target_modules: o.targets }, 1);
  const trainer = new LmTrainer(model, { mode: o.mode, learningRate: 1e-3, totalSteps: o.steps, warmupSteps: 1 });
  // fixed shapes, a few contents
  const batches = [0, 1, 2, 3].map(() => randomBatch(rng, spec.dims.vocabSize, o.batch, o.seq));
  const times: number[] = [];
  let t10 = 0;
  let b10 = 0;
  let peak = 0;
  try {
    for (let i = 0; i < o.steps; i++) {
      const st = await trainer.step(batches[i % batches.length]);
      times.push(st.msPerStep);
      peak = Math.max(peak, st.numBytes);
      if (st.step === Math.min(10, o.steps)) {
        t10 = st.numTensors;
        b10 = st.numBytes;
      }
    }
    const mem = tf.memory();
    const adapted = model.adapters.active ? model.adapters.paramCount('bench') / o.r : 0;
    const flops = lmStepFlops({ dims: spec.dims, linears: spec.linears() }, o.batch, o.seq, o.r, adapted);
    const perStep = o.mode === 'full' ? flops.full : flops.lora;
    const speed = throughput(times, o.batch * o.seq);
    const med = speed.medianMsPerStep ?? 0;
    return {
      backend: tf.getBackend(),
      label: o.label,
      mode: o.mode,
      params: model.baseParamCount(),
      trainable: trainer.trainableCount(),
      batch: o.batch,
      seq: o.seq,
      steps: o.steps,
      firstStepMs: times[0],
      medianMsPerStep: med,
      tokensPerSec: speed.tokensPerSec ?? 0,
      gflopPerStep: perStep / 1e9,
      achievedGflops: perStep / 1e6 / med,
      optimizerStateBytes: trainer.optimizerStateBytes(),
      tensorsAtStep10: t10,
      tensorsAtEnd: mem.numTensors,
      bytesAtStep10: b10,
      bytesAtEnd: mem.numBytes,
      peakBytes: peak,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** GFLOP/s of an n×n·n×n matmul on the current backend (median of `reps` after a warm-up). */
export async function benchMatmul(n: number, reps = 5): Promise<number> {
  const a = tf.randomNormal([n, n]);
  const b = tf.randomNormal([n, n]);
  const times: number[] = [];
  try {
    for (let i = 0; i <= reps; i++) {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
      if (i > 0) times.push(performance.now() - t0);
    }
  } finally {
    a.dispose();
    b.dispose();
  }
  return (2 * n * n * n) / 1e6 / median(times);
}
