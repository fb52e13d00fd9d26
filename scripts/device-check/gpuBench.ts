/**
 * `node device.mjs gpu-bench`: LoRA training steps on webgpu through Dawn at the GPT-2-124M shape
 * (random weights made in-process): tokens/s, first-step time, dispatches per step, achieved
 * GFLOP/s, kernel time by op; and the shipped model for scale. On a software adapter
 * (SwiftShader) the shapes shrink and the 124M step is counted dry, so it finishes here too.
 */
import { writeFileSync } from 'node:fs';
import { GPT2_124M } from '../../bench/nodeGpu';
import { isSoftwareAdapter, selectBackend } from '../../src/engine/backend';
import { benchMatmul, benchTraining, type TrainBenchResult } from '../../src/engine/bench/trainBench';
import { stepBreakdown, type StepBreakdown } from '../../src/engine/bench/stepBreakdown';
import { parseGpt2Config } from '../../src/engine/gpt2/config';
import { readFileSync } from 'node:fs';
import { backendLine } from '../../src/cli/backendFlag';

/** The goal on a real GPU: GPT-2-124M LoRA at batch 8 × 128. */
export const GOAL_TOKENS_PER_SEC = 2000;

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
  const batch = flag(argv, 'batch', software ? 1 : 8);
  const seq = flag(argv, 'seq', software ? 16 : 128);
  const common = { r: 8, targets: ['c_attn', 'c_proj', 'c_fc'], mode: 'lora' as const };
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
  const label124 = 'GPT-2-124M shape (random)';
  if (!software) {
    console.log(`GPT-2-124M LoRA ${batch}×${seq}, ${steps} steps…`);
    rows.push(await benchTraining({ label: label124, config: GPT2_124M, ...common, batch, seq, steps }));
    breakdowns.push(await stepBreakdown({ label: label124, config: GPT2_124M, ...common, batch, seq }));
  } else {
    console.log(`software adapter: the 124M step is counted dry at ${batch}×${seq}; timed rows use the shipped model`);
    breakdowns.push(
      await stepBreakdown({ label: label124, config: GPT2_124M, ...common, batch, seq, dry: true, warmup: 1 }),
    );
  }
  const sb = software ? 2 : 16;
  const ss = software ? 8 : 32;
  rows.push(await benchTraining({ label: 'shipped tiny', config: shipped, ...common, batch: sb, seq: ss, steps }));
  breakdowns.push(
    await stepBreakdown({ label: 'shipped tiny', config: shipped, ...common, batch: sb, seq: ss, profile: !software }),
  );
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
  const goal = rows.find((r) => r.label === label124);
  const goalLine = goal
    ? `GPT-2-124M LoRA ${goal.batch}×${goal.seq}: ${goal.tokensPerSec.toFixed(0)} tokens/s (goal ≥ ${GOAL_TOKENS_PER_SEC}: ${goal.tokensPerSec >= GOAL_TOKENS_PER_SEC ? 'met' : 'not met'})`
    : 'GPT-2-124M LoRA: not timed (software adapter)';
  console.log(`\n${goalLine}; ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  if (json)
    writeFileSync(
      json,
      JSON.stringify({ ok: true, info, software, matmul, rows, breakdowns, goal: goalLine }, null, 2),
    );
  return 0;
}
