/**
 * `node device.mjs gpu-bench`: LoRA training steps on webgpu through Dawn at the GPT-2-124M and
 * SmolLM2-135M shapes (random weights made in-process; batch 8 × 128 by default): tokens/s,
 * first-step time, dispatches per step, achieved GFLOP/s, kernel time by op; and small timed rows
 * (the shipped GPT-2, a tiny Llama) for scale. On a software adapter (SwiftShader) the real-size
 * steps are counted dry (compiled and counted, not run), so it finishes here too.
 */
import { writeFileSync } from 'node:fs';
import { GPT2_124M } from '../../bench/nodeGpu';
import { SMOLLM2_135M } from '../../src/engine/bench/benchModel';
import { tinyLlamaConfig } from '../../src/engine/llama/config';
import { isSoftwareAdapter, selectBackend } from '../../src/engine/backend';
import { benchMatmul, benchTraining, type TrainBenchResult } from '../../src/engine/bench/trainBench';
import { stepBreakdown, type StepBreakdown } from '../../src/engine/bench/stepBreakdown';
import { parseGpt2Config } from '../../src/engine/gpt2/config';
import { readFileSync } from 'node:fs';
import { backendLine } from '../../src/cli/backendFlag';

/** The goal on a real GPU: GPT-2-124M LoRA at batch 8 × 128. */
export const GOAL_TOKENS_PER_SEC = 2000;

const GPT2_TARGETS = ['c_attn', 'c_proj', 'c_fc'];
/** PEFT's default targets for the Llama family. */
const LLAMA_TARGETS = ['q_proj', 'v_proj'];

/** The real-size shapes (random weights made in-process), LoRA r 8. */
const REAL_SHAPES = [
  { label: 'GPT-2-124M shape (random)', config: GPT2_124M, targets: GPT2_TARGETS },
  { label: 'SmolLM2-135M shape (random)', config: SMOLLM2_135M, targets: LLAMA_TARGETS },
];

/** A tiny Llama for the timed rows on any adapter: GQA 4/2, tied head. */
const TINY_LLAMA = tinyLlamaConfig({
  hidden_size: 64,
  intermediate_size: 160,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  head_dim: 16,
  vocab_size: 256,
  max_position_embeddings: 64,
  tie_word_embeddings: true,
});

function flag(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
  return v;
}

export async function gpuBench(argv: string[]): Promise<number> {
  const jsonAt = argv.indexOf('--json');
  const json = jsonAt >= 0 ? argv[jsonAt + 1] : null;
  const info = await selectBackend({ force: 'webgpu' });
  console.log(backendLine(info, 'webgpu'));
  if (info.name !== 'webgpu') {
    const reason = info.skipped.find((s) => s.backend === 'webgpu')?.reason ?? 'no webgpu';
    if (json) writeFileSync(json, JSON.stringify({ ok: false, reason, info }, null, 2));
    return 3;
  }
  const software = isSoftwareAdapter(info.adapter) || /swiftshader|null device/i.test(info.driver ?? '');
  const steps = flag(argv, 'steps', software ? 2 : 12);
  // The goal's shape: timed on a GPU; on a software adapter only counted dry (compiled, not run).
  const batch = flag(argv, 'batch', 8);
  const seq = flag(argv, 'seq', 128);
  const shipped = parseGpt2Config(readFileSync('public/models/tiny/config.json', 'utf8'));
  const t0 = performance.now();
  const matmul: Record<string, number> = {};
  for (const n of software ? [256] : [1024, 2048, 4096]) matmul[n] = await benchMatmul(n, software ? 1 : 5);
  console.log(
    `matmul GFLOP/s: ${Object.entries(matmul)
      .map(([n, g]) => `${n}² ${g.toFixed(1)}`)
      .join(', ')}`,
  );
  const rows: TrainBenchResult[] = [];
  const breakdowns: StepBreakdown[] = [];
  // Each result is printed and saved as it lands: a run cut by its time limit keeps what it measured.
  const landed = (r: TrainBenchResult) => {
    rows.push(r);
    console.log(
      `  ${r.label} ${r.batch}×${r.seq}: first step ${r.firstStepMs.toFixed(0)} ms, median ${r.medianMsPerStep.toFixed(1)} ms, ${r.tokensPerSec.toFixed(0)} tokens/s, ${r.achievedGflops.toFixed(1)} GFLOP/s`,
    );
    if (json) writeFileSync(json, JSON.stringify({ ok: true, partial: true, info, software, matmul, rows }, null, 2));
  };
  for (const m of REAL_SHAPES) {
    const common = { label: m.label, config: m.config, r: 8, targets: m.targets, mode: 'lora' as const, batch, seq };
    if (!software) {
      console.log(`${m.label} LoRA ${batch}×${seq} on ${m.targets.join(', ')}, ${steps} steps…`);
      landed(await benchTraining({ ...common, steps }));
      breakdowns.push(await stepBreakdown(common));
    } else {
      console.log(`software adapter: ${m.label} at ${batch}×${seq} is counted dry (compiled and counted, not run)`);
      breakdowns.push(await stepBreakdown({ ...common, dry: true, warmup: 1 }));
    }
  }
  // Small timed rows on every adapter: the shipped GPT-2 and a tiny Llama (GQA, tied head).
  const sb = software ? 2 : 16;
  const ss = software ? 8 : 32;
  const small = [
    { label: 'shipped tiny', config: shipped, targets: GPT2_TARGETS },
    { label: 'tiny Llama (random)', config: TINY_LLAMA, targets: LLAMA_TARGETS },
  ];
  for (const m of small) {
    const common = { ...m, r: 8, mode: 'lora' as const, batch: sb, seq: ss };
    landed(await benchTraining({ ...common, steps }));
    breakdowns.push(await stepBreakdown({ ...common, profile: !software }));
  }
  console.log(
    '\n| model | batch × seq | first step ms | median ms/step | tokens/s | GFLOP/s |\n|---|---|---|---|---|---|',
  );
  for (const r of rows)
    console.log(
      `| ${r.label} | ${r.batch} × ${r.seq} | ${r.firstStepMs.toFixed(0)} | ${r.medianMsPerStep.toFixed(1)} | ${r.tokensPerSec.toFixed(0)} | ${r.achievedGflops.toFixed(1)} |`,
    );
  console.log(
    '\n| model | batch × seq | dispatches/step | submits | uploads | read-back bytes | top programs |\n|---|---|---|---|---|---|---|',
  );
  for (const b of breakdowns)
    console.log(
      `| ${b.label}${b.dry ? ' (dry)' : ''} | ${b.batch} × ${b.seq} | ${b.work.dispatches} | ${b.dry ? '–' : b.work.submits} | ${b.work.uploads} (${b.work.uploadBytes} B) | ${b.work.readbackBytes} | ${b.work.byProgram
        .slice(0, 4)
        .map((p) => `${p.program} ${p.count}`)
        .join(', ')} |`,
    );
  for (const b of breakdowns.filter((x) => x.kernels))
    console.log(
      `kernel ms by op, ${b.label}: ${b
        .kernels!.byKernel.slice(0, 8)
        .map((k) => `${k.kernel} ${k.ms.toFixed(1)}`)
        .join(', ')} (timestamps: ${b.kernels!.timestamps})`,
    );
  const goal = rows.find((r) => r.label === REAL_SHAPES[0].label);
  const goalLine = goal
    ? `GPT-2-124M LoRA ${goal.batch}×${goal.seq}: ${goal.tokensPerSec.toFixed(0)} tokens/s (goal ≥ ${GOAL_TOKENS_PER_SEC}: ${goal.tokensPerSec >= GOAL_TOKENS_PER_SEC ? 'met' : 'not met'})`
    : 'GPT-2-124M LoRA: not timed (software adapter)';
  const smol = rows.find((r) => r.label === REAL_SHAPES[1].label);
  const smolLine = smol
    ? `SmolLM2-135M LoRA ${smol.batch}×${smol.seq}: ${smol.tokensPerSec.toFixed(0)} tokens/s, first step ${smol.firstStepMs.toFixed(0)} ms`
    : 'SmolLM2-135M LoRA: not timed (software adapter)';
  console.log(`\n${goalLine}\n${smolLine}; ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (json)
    writeFileSync(
      json,
      JSON.stringify({ ok: true, info, software, matmul, rows, breakdowns, goal: goalLine, smol: smolLine }, null, 2),
    );
  return 0;
}
