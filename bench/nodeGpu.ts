/**
 * The bench's Node webgpu half (Dawn, through src/engine/backendNode.ts): training rows on webgpu
 * beside a wasm row at the same shape, and the per-step breakdown (dispatches by program, submits,
 * upload / read-back / uniform bytes, kernel time by op) at the shipped model's shape and at the
 * GPT-2-124M and SmolLM2-135M shapes (the latter r 8 on PEFT's Llama defaults q_proj, v_proj).
 * On a software adapter (SwiftShader here) shapes are small and the 124M step is counted dry
 * (compiled and counted, not run: one of its 16×768·768×50257 products alone took 70 s).
 */
import { selectBackend, type BackendInfo } from '../src/engine/backend';
import { benchMatmul, benchTraining, type TrainBenchResult } from '../src/engine/bench/trainBench';
import { stepBreakdown, type StepBreakdown } from '../src/engine/bench/stepBreakdown';
import { SMOLLM2_135M } from '../src/engine/bench/benchModel';
import { parseGpt2Config, type Gpt2Config } from '../src/engine/gpt2/config';
import { BUILTIN_MODELS } from '../src/engine/learn/modelConfigs';

export const GPT2_124M: Gpt2Config = parseGpt2Config(BUILTIN_MODELS.find((m) => m.id === 'gpt2')!.config);

/** The SmolLM2-135M rows: PEFT's default targets for the Llama family. */
const SMOL = { label: 'SmolLM2-135M shape (random)', config: SMOLLM2_135M, targets: ['q_proj', 'v_proj'] };

export interface NodeGpuOptions {
  shipped: { label: string; config: Gpt2Config };
  steps: number;
  r: number;
  targets: string[];
  /** Row and shipped-breakdown shape; default 16 × 32 on a GPU, 4 × 16 on a software adapter. */
  batch?: number;
  seq?: number;
  /** 124M breakdown shape; default 8 × 128 (the goal's), run on a GPU and counted dry on software. */
  batch124?: number;
  seq124?: number;
  log: (s: string) => void;
}

export interface NodeGpuReport {
  info: BackendInfo | null;
  /** Why there are no webgpu rows (no adapter in Node). */
  skipped?: string;
  software: boolean;
  matmul: Record<string, number>;
  results: TrainBenchResult[];
  /** wasm at the same shape as the webgpu rows, for the ratio. */
  wasm: TrainBenchResult[];
  breakdowns: StepBreakdown[];
}

export async function nodeGpuBench(o: NodeGpuOptions): Promise<NodeGpuReport> {
  const info = await selectBackend({ force: 'webgpu' });
  const empty = { matmul: {}, results: [], wasm: [], breakdowns: [] };
  if (info.name !== 'webgpu')
    return { info: null, skipped: info.skipped[0]?.reason ?? 'no webgpu', software: false, ...empty };
  const software = /swiftshader|llvmpipe|lavapipe|null device/i.test(
    `${info.adapter?.architecture} ${info.adapter?.description} ${info.driver}`,
  );
  const batch = o.batch ?? (software ? 4 : 16);
  const seq = o.seq ?? (software ? 16 : 32);
  const b124 = o.batch124 ?? 8;
  const s124 = o.seq124 ?? 128;
  const common = { r: o.r, targets: o.targets, batch, seq };
  const matmul: Record<string, number> = {};
  for (const n of software ? [256] : [512, 1024, 2048]) matmul[n] = await benchMatmul(n, software ? 2 : 5);
  const results: TrainBenchResult[] = [];
  for (const mode of ['lora', 'full'] as const) {
    o.log(`node webgpu ${o.shipped.label} ${mode} ${batch}×${seq}…`);
    results.push(await benchTraining({ ...o.shipped, ...common, mode, steps: o.steps }));
  }
  if (!software) {
    o.log(`node webgpu GPT-2-124M lora ${b124}×${s124}…`);
    const label = 'GPT-2-124M shape (random)';
    results.push(
      await benchTraining({
        label,
        config: GPT2_124M,
        ...common,
        batch: b124,
        seq: s124,
        mode: 'lora',
        steps: o.steps,
      }),
    );
    o.log(`node webgpu SmolLM2-135M lora ${b124}×${s124}…`);
    results.push(await benchTraining({ ...SMOL, r: o.r, batch: b124, seq: s124, mode: 'lora', steps: o.steps }));
  }
  const breakdowns: StepBreakdown[] = [];
  o.log(`node webgpu breakdown: ${o.shipped.label} lora ${batch}×${seq}…`);
  breakdowns.push(await stepBreakdown({ ...o.shipped, ...common, mode: 'lora' }));
  o.log(`node webgpu breakdown: GPT-2-124M lora ${b124}×${s124}${software ? ' (dry)' : ''}…`);
  breakdowns.push(
    await stepBreakdown({
      label: 'GPT-2-124M shape (random)',
      config: GPT2_124M,
      ...common,
      batch: b124,
      seq: s124,
      mode: 'lora',
      dry: software,
      warmup: software ? 1 : 2,
    }),
  );
  o.log(`node webgpu breakdown: SmolLM2-135M lora ${b124}×${s124}${software ? ' (dry)' : ''}…`);
  breakdowns.push(
    await stepBreakdown({
      ...SMOL,
      r: o.r,
      batch: b124,
      seq: s124,
      mode: 'lora',
      dry: software,
      warmup: software ? 1 : 2,
    }),
  );
  // The same rows on wasm, for a same-shape ratio.
  await selectBackend({ force: 'wasm' });
  const wasm: TrainBenchResult[] = [];
  for (const mode of ['lora', 'full'] as const)
    wasm.push(await benchTraining({ ...o.shipped, ...common, mode, steps: Math.max(o.steps, 10) }));
  return { info, software, matmul, results, wasm, breakdowns };
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const mib = (b: number) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);

/** The Node webgpu section of the bench's markdown. */
export function nodeGpuMarkdown(rep: NodeGpuReport): string {
  if (!rep.info) return `### Node webgpu (Dawn)\n\nNo webgpu rows: ${rep.skipped}`;
  const a = rep.info.adapter;
  const lines = [
    `### Node webgpu (Dawn): ${a?.vendor} ${a?.architecture}, ${rep.info.driver}`,
    '',
    `Device limits: maxBufferSize ${mib(rep.info.limits?.maxBufferSize ?? NaN)}, maxStorageBufferBindingSize ${mib(rep.info.limits?.maxStorageBufferBindingSize ?? NaN)}, ${rep.info.limits?.maxStorageBuffersPerShaderStage} storage buffers per stage. Matmul GFLOP/s: ${Object.entries(
      rep.matmul,
    )
      .map(([n, g]) => `${n}² ${fmt(g, 3)}`)
      .join(', ')}.`,
    '',
    '| backend | model | mode | batch × seq | first step ms | median ms/step | tokens/s | GFLOP/s | tensors step 10 → end | bytes drift |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of [...rep.results, ...rep.wasm])
    lines.push(
      `| ${r.backend} | ${r.label} | ${r.mode} | ${r.batch} × ${r.seq} | ${fmt(r.firstStepMs, 0)} | ${fmt(r.medianMsPerStep)} | ${fmt(r.tokensPerSec, 0)} | ${fmt(r.achievedGflops, 3)} | ${r.tensorsAtStep10} → ${r.tensorsAtEnd} | ${r.bytesAtEnd - r.bytesAtStep10} |`,
    );
  for (const mode of ['lora', 'full'] as const) {
    const g = rep.results.find((r) => r.mode === mode && r.label === rep.wasm[0]?.label);
    const w = rep.wasm.find((r) => r.mode === mode);
    if (g && w)
      lines.push(
        '',
        `webgpu vs wasm (Node, ${g.label}, ${mode}, same shape): ${fmt(w.medianMsPerStep / g.medianMsPerStep, 3)}× (above 1 = webgpu faster)`,
      );
  }
  lines.push(
    '',
    '**One training step on webgpu** (counted on the step after warm-up; "dry": compiled and counted, not run):',
    '',
    '| model | mode | batch × seq | step ms | dispatches | submits | uploads (bytes) | read-backs (bytes) | uniform bytes | top programs |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const b of rep.breakdowns) {
    const w = b.work;
    const top = w.byProgram
      .slice(0, 5)
      .map((p) => `${p.program.replace(/Program$/, '')} ${p.count}`)
      .join(', ');
    lines.push(
      `| ${b.label} | ${b.mode} | ${b.batch} × ${b.seq} | ${b.dry ? 'dry' : fmt(b.stepMs, 0)} | ${w.dispatches} | ${b.dry ? '–' : w.submits} | ${w.uploads} (${mib(w.uploadBytes)}) | ${w.readbacks} (${w.readbackBytes} B) | ${b.dry ? '–' : mib(w.uniformBytes)} | ${top} |`,
    );
  }
  for (const b of rep.breakdowns.filter((x) => x.kernels)) {
    const k = b.kernels!;
    lines.push(
      '',
      `Kernel time by op, ${b.label} ${b.mode} ${b.batch} × ${b.seq} (tf.profile, ${k.timestamps ? 'GPU timestamp queries' : 'no timestamp-query on this device: times read 0'}; total ${fmt(k.totalMs, 1)} ms):`,
      '',
      '| op | kernels | ms | share |',
      '|---|---|---|---|',
      ...k.byKernel
        .slice(0, 12)
        .map((e) => `| ${e.kernel} | ${e.count} | ${fmt(e.ms, 1)} | ${fmt((100 * e.ms) / k.totalMs, 0)} % |`),
    );
  }
  return lines.join('\n');
}
