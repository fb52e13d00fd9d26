/**
 * Real-size checkpoints in Node wasm: a GPT-2-124M-shaped and a SmolLM2-135M-shaped model with
 * random weights, written to disk in Hugging Face layout (GPT-2 F32 like the hub's gpt2,
 * SmolLM2 BF16 like its hub checkpoint), loaded with the streaming loader, then LoRA-trained at
 * batch 2 × 64, r 8 on the family's default targets. Reports load time, peak resident memory
 * (the process's maxRSS, each model in a fresh process), the wasm heap, first and median step
 * time (wall, and the process's CPU time: wasm runs on one thread, so on a shared machine CPU
 * time is the step time the machine to itself would give), tokens/s, and the closed-form memory
 * estimate beside the measured peaks.
 *
 *   npx tsx bench/realSize.ts [--models gpt2,smol] [--steps 6] [--dir /tmp/lowrank-realsize] [--out bench/results]
 *
 * `npm run bench` runs the same rows (realSizeBench) unless given --skip-real-size.
 */
import { SMOLLM2_135M_CONFIG } from '../src/engine/bench/benchModel';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, writeSync, writeFileSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DIR = opt('dir', '/tmp/lowrank-realsize');
const OUT = opt('out', 'bench/results');
const SELF = fileURLToPath(import.meta.url);
const BATCH = 2;
const SEQ = 64;
const RANK = 8;

interface Shape {
  id: string;
  label: string;
  dtype: 'F32' | 'BF16';
  config: Record<string, unknown>;
}

const SHAPES: Shape[] = [
  {
    id: 'gpt2',
    label: 'GPT-2-124M shape (random)',
    dtype: 'F32',
    config: {
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      vocab_size: 50257,
      n_positions: 1024,
      n_embd: 768,
      n_layer: 12,
      n_head: 12,
      n_inner: null,
      activation_function: 'gelu_new',
      layer_norm_epsilon: 1e-5,
      tie_word_embeddings: true,
    },
  },
  {
    id: 'smol',
    label: 'SmolLM2-135M shape (random)',
    dtype: 'BF16',
    config: { ...SMOLLM2_135M_CONFIG, torch_dtype: 'bfloat16' },
  },
];

/** Writes config.json and model.safetensors tensor by tensor (never the whole file in memory). */
async function ensureCheckpoint(shape: Shape, root: string): Promise<string> {
  const dir = join(root, shape.id);
  const configText = JSON.stringify(shape.config, null, 2);
  if (existsSync(join(dir, 'model.safetensors')) && existsSync(join(dir, 'config.json'))) {
    if (readFileSync(join(dir, 'config.json'), 'utf8') === configText) return dir;
  }
  mkdirSync(dir, { recursive: true });
  const { modelSpec } = await import('../src/engine/models/registry');
  const { safetensorsHeader, encodeTensor } = await import('../src/engine/checkpoint/write');
  const spec = modelSpec(shape.config);
  const tensors = spec.naming().expected.map(([name, s]) => ({ name, shape: s, dtype: shape.dtype }));
  const fd = openSync(join(dir, 'model.safetensors'), 'w');
  writeSync(fd, safetensorsHeader(tensors));
  let seed = 12345;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (/(ln_\w+|norm)\.weight$/.test(t.name)) data.fill(1);
    else if (!t.name.endsWith('.bias')) {
      // Uniform with the std of transformers' N(0, 0.02) init (xorshift: fast for 100M+ values).
      const a = 0.02 * Math.sqrt(3);
      for (let i = 0; i < n; i++) {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        data[i] = ((seed >>> 0) / 4294967296 - 0.5) * 2 * a;
      }
    }
    writeSync(fd, encodeTensor(data, shape.dtype));
  }
  closeSync(fd);
  writeFileSync(join(dir, 'config.json'), configText);
  return dir;
}

interface Result {
  label: string;
  dtype: string;
  params: number;
  float32WeightBytes: number;
  fileBytes: number;
  loadMs: number;
  rssBeforeLoad: number;
  rssAfterLoad: number;
  peakRss: number;
  wasmHeap: number;
  profilePeakTensorBytes: number;
  firstStepMs: number;
  medianStepMs: number;
  /** Process CPU time (wasm runs on one thread): the step time a machine to itself would see. */
  firstStepCpuMs: number;
  medianStepCpuMs: number;
  tokensPerSec: number;
  targets: string[];
  trainable: number;
  estimate: Record<string, number>;
  losses: number[];
  numTensors: number[];
}

async function child(id: string, STEPS: number): Promise<void> {
  const shape = SHAPES.find((s) => s.id === id)!;
  const dir = join(DIR, id);
  const { selectBackend } = await import('../src/engine/backend');
  const { tf } = await import('../src/engine/tf');
  const { nodeFileSource } = await import('../src/engine/checkpoint/nodeFile');
  const { checkpointFromFolder, openCheckpoint, loadCheckpoint } = await import('../src/engine/checkpoint/open');
  const { LmTrainer } = await import('../src/engine/train/lmTrainer');
  const { trainingMemory } = await import('../src/engine/models/memoryEstimate');
  await selectBackend({ force: 'wasm' });
  const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.buffer.byteLength;
  const rss = () => process.memoryUsage().rss;
  const files = await Promise.all(['config.json', 'model.safetensors'].map((f) => nodeFileSource(join(dir, f))));
  const rssBeforeLoad = rss();
  const t0 = performance.now();
  const plan = await openCheckpoint(await checkpointFromFolder(files));
  const model = await loadCheckpoint(plan);
  const loadMs = performance.now() - t0;
  await Promise.all(files.map((f) => f.close?.()));
  const rssAfterLoad = rss();
  const targets = [...plan.spec.defaultTargets];
  await model.adapters.add('bench', { r: RANK, lora_alpha: 16, target_modules: targets }, 1);
  const estimate = trainingMemory({
    ...model.dims,
    paramCount: model.baseParamCount(),
    largestWeight: plan.largestTensorBytes / 4,
    mode: 'lora',
    trainableParams: model.trainableParameters().trainable,
    adaptedModules: model.adapters.targets('bench').length,
    rank: RANK,
    batch: BATCH,
    seq: SEQ,
  });
  const trainer = new LmTrainer(model, { mode: 'lora', learningRate: 1e-3, totalSteps: STEPS + 1 });
  let s = 7;
  const ids = new Int32Array(BATCH * (SEQ + 1)).map(() => (s = (s * 1103515245 + 12345) >>> 0) % model.vocabSize);
  const input = new Int32Array(BATCH * SEQ);
  const target = new Int32Array(BATCH * SEQ);
  for (let b = 0; b < BATCH; b++)
    for (let t = 0; t < SEQ; t++) {
      input[b * SEQ + t] = ids[b * (SEQ + 1) + t];
      target[b * SEQ + t] = ids[b * (SEQ + 1) + t + 1];
    }
  const batch = { input, target, batch: BATCH, seq: SEQ };
  const times: number[] = [];
  const losses: number[] = [];
  const numTensors: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < STEPS; i++) {
    const c0 = process.cpuUsage();
    const st = await trainer.step(batch);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    times.push(st.msPerStep);
    losses.push(st.loss);
    numTensors.push(st.numTensors);
  }
  const peakRss = process.resourceUsage().maxRSS * 1024; // before profiling, which reads every kernel's output
  const wasmHeap = heap();
  const info = await tf.profile(async () => {
    await trainer.step(batch);
    return [];
  });
  const medianOf = (xs: number[]) => {
    const sorted = xs.slice(1).sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? xs[0];
  };
  const median = medianOf(times);
  const result: Result = {
    label: shape.label,
    dtype: shape.dtype,
    params: model.baseParamCount(),
    float32WeightBytes: plan.float32Bytes,
    fileBytes: plan.fileBytes,
    loadMs,
    rssBeforeLoad,
    rssAfterLoad,
    peakRss,
    wasmHeap,
    profilePeakTensorBytes: info.peakBytes,
    firstStepMs: times[0],
    medianStepMs: median,
    firstStepCpuMs: cpu[0],
    medianStepCpuMs: medianOf(cpu),
    tokensPerSec: (BATCH * SEQ * 1000) / median,
    targets,
    trainable: trainer.trainableCount(),
    estimate: { ...estimate },
    losses,
    numTensors,
  };
  trainer.dispose();
  model.dispose();
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

const MiB = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MiB`;

export interface RealSizeReport {
  results: Result[];
  /** Markdown: the table with the estimate beside the measured peak. */
  table: string;
}

/**
 * Writes the checkpoints (once; reused while the config is unchanged) and measures each model in
 * a fresh Node process (peak RSS is per process).
 * @param ids "gpt2", "smol"
 */
export async function realSizeBench(
  opts: { ids?: string[]; steps?: number; dir?: string; log?: (line: string) => void } = {},
): Promise<RealSizeReport> {
  const steps = opts.steps ?? 6;
  const root = opts.dir ?? '/tmp/lowrank-realsize';
  const results: Result[] = [];
  for (const id of opts.ids ?? ['gpt2', 'smol']) {
    const shape = SHAPES.find((s) => s.id === id);
    if (!shape) throw new Error(`unknown model ${id} (have: ${SHAPES.map((s) => s.id).join(', ')})`);
    opts.log?.(`${shape.label}: checkpoint in ${await ensureCheckpoint(shape, root)}`);
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, SELF, '--child', id, '--steps', String(steps), '--dir', root],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`measurement of ${id} failed:\n${run.stderr.slice(-4000)}`);
    results.push(JSON.parse(line.slice(7)) as Result);
  }
  const head =
    '| model | file | params | load s | peak RSS | target 1.5·W+300 MiB | wasm heap | estimate | first step ms (CPU) | median ms/step (CPU) | tokens/s (CPU) | targets |';
  const rows = results.map((r) => {
    const target = 1.5 * r.float32WeightBytes + 300 * 1024 * 1024;
    return `| ${r.label} | ${r.dtype} ${MiB(r.fileBytes)} | ${(r.params / 1e6).toFixed(1)}M | ${(r.loadMs / 1000).toFixed(1)} | ${MiB(r.peakRss)} | ${MiB(target)} ${r.peakRss <= target ? 'met' : 'not met'} | ${MiB(r.wasmHeap)} | ${MiB(r.estimate.totalBytes)} | ${r.firstStepMs.toFixed(0)} (${r.firstStepCpuMs.toFixed(0)}) | ${r.medianStepMs.toFixed(0)} (${r.medianStepCpuMs.toFixed(0)}) | ${r.tokensPerSec.toFixed(0)} (${((BATCH * SEQ * 1000) / r.medianStepCpuMs).toFixed(0)}) | ${r.targets.join(', ')} r ${RANK} |`;
  });
  const table = [
    `Node wasm, batch ${BATCH} × ${SEQ}, ${steps} steps, random weights in Hugging Face layout, streamed from disk:`,
    '',
    head,
    `|${'---|'.repeat(12)}`,
    ...rows,
  ].join('\n');
  return { results, table };
}

async function main(): Promise<void> {
  const steps = Number(opt('steps', '6'));
  if (args.includes('--child')) return child(opt('child', ''), steps);
  const { results, table } = await realSizeBench({
    ids: opt('models', 'gpt2,smol').split(','),
    steps,
    dir: DIR,
    log: (l) => process.stdout.write(`${l}\n`),
  });
  process.stdout.write(`\n${table}\n`);
  mkdirSync(OUT, { recursive: true });
  const stem = join(OUT, `${new Date().toISOString().slice(0, 10)}-${hostname()}-realsize`);
  writeFileSync(`${stem}.json`, JSON.stringify(results, null, 2));
  writeFileSync(`${stem}.md`, `${table}\n`);
}

if (resolve(process.argv[1] ?? '') === SELF)
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
