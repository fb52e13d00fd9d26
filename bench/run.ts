/**
 * `npm run bench`: training-step speed and memory per backend × model × mode, in Node (wasm, cpu)
 * and in headless Chromium (webgpu, webgl, wasm, cpu), plus main-thread long tasks while the
 * Worker trains and the app's JS bytes. Ratios are computed from numbers measured in this one run.
 *
 * Flags: --steps N (wasm, default 30) --slow-steps N (other backends, default 6)
 *        --skip-browser --skip-node --all (the larger config on every backend) --out DIR (default bench/results)
 *        --skip-real-size (the GPT-2-124M / SmolLM2-135M rows, bench/realSize.ts) --real-size-steps N (default 4)
 *        --skip-node-gpu --only-node-gpu --gpu-steps N (default 4) --gpu-batch B --gpu-seq T
 *        --gpu124-batch B --gpu124-seq T
 *        (Node webgpu through Dawn: rows, and the per-step breakdown; bench/nodeGpu.ts)
 * Needs a production build (`npm run build`) for the browser half.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { selectBackend, type BackendName } from '../src/engine/backend';
import { loraFloorRatio } from '../src/engine/bench/flops';
import {
  benchMatmul,
  benchTraining,
  type TrainBenchOptions,
  type TrainBenchResult,
} from '../src/engine/bench/trainBench';
import { parseGpt2Config, tinyGpt2Config, type Gpt2Config } from '../src/engine/gpt2/config';
import { nodeGpuBench, nodeGpuMarkdown, type NodeGpuReport } from './nodeGpu';
import { realSizeBench, type RealSizeReport } from './realSize';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const value = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const maybe = (name: string) => (args.includes(`--${name}`) ? value(name, NaN) : undefined);
const outDir = (() => {
  const i = args.indexOf('--out');
  return i >= 0 ? args[i + 1] : 'bench/results';
})();
const STEPS = value('steps', 30);
const SLOW_STEPS = value('slow-steps', 6);

function shippedConfig(): { label: string; config: Gpt2Config } {
  const p = 'public/models/tiny/config.json';
  if (existsSync(p)) return { label: 'shipped tiny', config: parseGpt2Config(readFileSync(p, 'utf8')) };
  return {
    label: 'tiny (4×128, no shipped model yet)',
    config: tinyGpt2Config({ vocab_size: 97, n_positions: 64, n_embd: 128, n_layer: 4, n_head: 4 }),
  };
}
const LARGER = {
  label: 'larger 6×384 (random)',
  config: tinyGpt2Config({ vocab_size: 97, n_positions: 64, n_embd: 384, n_layer: 6, n_head: 6 }),
};
const BATCH = 16;
const SEQ = 32;
const R = 8;
const TARGETS = ['c_attn', 'c_proj', 'c_fc'];

function runsFor(steps: number): TrainBenchOptions[] {
  const models = [shippedConfig(), LARGER];
  return models.flatMap((m) =>
    (['lora', 'full'] as const).map((mode) => ({
      label: m.label,
      config: m.config,
      mode,
      steps,
      batch: BATCH,
      seq: SEQ,
      r: R,
      targets: TARGETS,
    })),
  );
}

interface BackendReport {
  where: 'node' | 'chromium';
  backend: string;
  adapter?: unknown;
  matmul: Record<string, number>;
  results: TrainBenchResult[];
  error?: string;
}

async function nodeBench(): Promise<BackendReport[]> {
  const reports: BackendReport[] = [];
  for (const backend of ['wasm', 'cpu'] as BackendName[]) {
    await selectBackend({ force: backend });
    const steps = backend === 'wasm' ? STEPS : SLOW_STEPS;
    const matmul: Record<string, number> = {};
    for (const n of backend === 'wasm' ? [512, 1024] : [512])
      matmul[n] = await benchMatmul(n, backend === 'wasm' ? 5 : 2);
    const results: TrainBenchResult[] = [];
    for (const run of runsFor(steps)) {
      if (backend === 'cpu' && run.label.startsWith('larger')) continue; // minutes per step here: not informative
      log(`node ${backend} ${run.label} ${run.mode}…`);
      results.push(await benchTraining(run));
    }
    reports.push({ where: 'node', backend, matmul, results });
  }
  return reports;
}

const WEBGPU_FLAGS = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
];
const QUIET = [
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function startPreview(port: number): ChildProcess {
  return spawn(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      stdio: 'ignore',
    },
  );
}

/** Poll the page for window.__bench (waitForFunction would need eval, which the app's CSP forbids). */
async function benchResult(page: import('@playwright/test').Page, timeoutMs: number): Promise<unknown> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const v = await page.evaluate('window.__bench ?? null');
    if (v) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('the benchmark page did not finish in time');
}

async function waitFor(url: string, ms: number) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

async function browserBench(): Promise<{ reports: BackendReport[]; longTasks: unknown }> {
  if (!existsSync('dist/src/bench/bench.html')) throw new Error('no production build: run `npm run build` first');
  const port = 4199;
  const server = startPreview(port);
  const executablePath =
    process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
  const browser = await chromium.launch({ executablePath, args: [...QUIET, ...WEBGPU_FLAGS] });
  try {
    await waitFor(`http://127.0.0.1:${port}/`, 30_000);
    const reports: BackendReport[] = [];
    for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu'] as BackendName[]) {
      const fast = backend === 'wasm';
      // The larger config runs on wasm only here: on SwiftShader (webgpu, webgl) and plain JS one of
      // its steps takes minutes, and the run must fit in 10 minutes. On a real GPU, pass --all.
      const runs = runsFor(fast ? STEPS : SLOW_STEPS).filter(
        (r) => fast || flag('all') || !r.label.startsWith('larger'),
      );
      const q = new URLSearchParams({
        backend,
        runs: JSON.stringify(runs),
        matmul: JSON.stringify(fast ? [512, 1024] : [512]),
        reps: fast ? '5' : '2',
      });
      log(`chromium ${backend}…`);
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/src/bench/bench.html?${q}`);
      const res = (await benchResult(page, 8 * 60_000)) as {
        ok: boolean;
        result?: { backend: string; adapter: unknown; matmul: Record<string, number>; results: TrainBenchResult[] };
        error?: string;
      };
      await page.close();
      if (res.ok && res.result) reports.push({ where: 'chromium', ...res.result });
      else reports.push({ where: 'chromium', backend, matmul: {}, results: [], error: res.error });
    }
    log('chromium long tasks while the Worker trains…');
    const page = await browser.newPage();
    await page.goto(
      `http://127.0.0.1:${port}/src/bench/bench.html?longtasks=1&backend=wasm&steps=${Math.max(20, STEPS)}`,
    );
    const lt = await benchResult(page, 5 * 60_000);
    await page.close();
    return { reports, longTasks: lt };
  } finally {
    await browser.close();
    server.kill();
  }
}

/** Gzipped bytes of the JS the explainer loads first vs what the trainer loads lazily. */
function bundleBytes(): { explainerInitialGzip: number; trainerLazyGzip: number; files: number } | null {
  if (!existsSync('dist/index.html')) return null;
  const html = readFileSync('dist/index.html', 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\.\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
  const gz = (f: string) => gzipSync(readFileSync(join('dist', f))).length;
  const all = readdirSync('dist/assets')
    .filter((f) => f.endsWith('.js'))
    .map((f) => `assets/${f}`);
  // The first Learn view: the entry + its preloads + the Home and Rank chunks it lazily imports at once.
  const firstView = all.filter((f) => /\/(Home|Rank)-/.test(f));
  const explainer = [...initial, ...firstView];
  const trainer = all.filter((f) => !explainer.includes(f) && statSync(join('dist', f)).size > 0);
  return {
    explainerInitialGzip: explainer.reduce((a, f) => a + gz(f), 0),
    trainerLazyGzip: trainer.reduce((a, f) => a + gz(f), 0),
    files: all.length,
  };
}

function log(s: string) {
  process.stderr.write(`${s}\n`);
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const kb = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

function markdown(
  all: BackendReport[],
  extra: {
    longTasks: unknown;
    bundle: ReturnType<typeof bundleBytes>;
    machine: string;
    date: string;
    nodeGpu: NodeGpuReport | null;
  },
): string {
  if (all.length === 0 && extra.nodeGpu)
    return [`Machine: ${extra.machine}. Date: ${extra.date}.`, '', nodeGpuMarkdown(extra.nodeGpu)].join('\n');
  const lines = [
    `Machine: ${extra.machine}. Date: ${extra.date}. Batch ${BATCH} × seq ${SEQ}, r = ${R} on ${TARGETS.join(', ')}.`,
    '',
    '| where | backend | model | mode | first step ms | median ms/step | tokens/s | GFLOP/s | % of 512² matmul | optimizer state | tensors step 10 → end | bytes drift |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const rep of all) {
    if (rep.error) {
      lines.push(`| ${rep.where} | ${rep.backend} | – | – | – | – | – | – | – | – | – | ${rep.error.slice(0, 60)} |`);
      continue;
    }
    for (const r of rep.results) {
      const mm = rep.matmul['512'];
      lines.push(
        `| ${rep.where} | ${rep.backend} | ${r.label} | ${r.mode} | ${fmt(r.firstStepMs, 0)} | ${fmt(r.medianMsPerStep)} | ${fmt(r.tokensPerSec, 0)} | ${fmt(r.achievedGflops, 2)} | ${mm ? fmt((100 * r.achievedGflops) / mm, 0) : '–'} % | ${kb(r.optimizerStateBytes)} | ${r.tensorsAtStep10} → ${r.tensorsAtEnd} | ${r.bytesAtEnd - r.bytesAtStep10} |`,
      );
    }
  }
  lines.push(
    '',
    '**Ratios** (same run, same machine):',
    '',
    '| where | backend | model | LoRA/full step time | analytic floor (4+12r/d)/6 | LoRA/full optimizer memory | 512² / 1024² matmul GFLOP/s |',
    '|---|---|---|---|---|---|---|',
  );
  for (const rep of all) {
    const byLabel = new Map<string, { lora?: TrainBenchResult; full?: TrainBenchResult }>();
    for (const r of rep.results) byLabel.set(r.label, { ...byLabel.get(r.label), [r.mode]: r });
    for (const [label, { lora, full }] of byLabel) {
      if (!lora || !full) continue;
      const d = label.startsWith('larger') ? LARGER.config.n_embd : shippedConfig().config.n_embd;
      lines.push(
        `| ${rep.where} | ${rep.backend} | ${label} | ${fmt(lora.medianMsPerStep / full.medianMsPerStep, 2)} | ${fmt(loraFloorRatio(R, d), 2)} | ${fmt(lora.optimizerStateBytes / full.optimizerStateBytes, 4)} | ${fmt(rep.matmul['512'] ?? NaN, 2)} / ${fmt(rep.matmul['1024'] ?? NaN, 2)} |`,
      );
    }
  }
  const wasm = (where: string) => all.find((r) => r.where === where && r.backend === 'wasm');
  const gpu = all.find((r) => r.where === 'chromium' && r.backend === 'webgpu');
  const cw = wasm('chromium');
  if (gpu && cw && gpu.results[0] && cw.results[0]) {
    lines.push(
      '',
      `webgpu vs wasm (Chromium, ${cw.results[0].label}, ${cw.results[0].mode}): ${fmt(cw.results[0].medianMsPerStep / gpu.results[0].medianMsPerStep, 2)}× (above 1 = webgpu faster)`,
    );
  }
  if (extra.longTasks)
    lines.push('', `Main thread while the Worker trains (Chromium, wasm): ${JSON.stringify(extra.longTasks)}`);
  if (extra.nodeGpu) lines.push('', nodeGpuMarkdown(extra.nodeGpu));
  if (extra.bundle)
    lines.push(
      '',
      `JS (gzipped): explainer first view ${kb(extra.bundle.explainerInitialGzip)}; trainer and the rest, loaded lazily, ${kb(extra.bundle.trainerLazyGzip)}.`,
    );
  return lines.join('\n');
}

async function main() {
  const t0 = Date.now();
  const reports: BackendReport[] = [];
  const onlyGpu = flag('only-node-gpu');
  if (!flag('skip-node') && !onlyGpu) reports.push(...(await nodeBench()));
  let nodeGpu: NodeGpuReport | null = null;
  if (!flag('skip-node') && !flag('skip-node-gpu')) {
    nodeGpu = await nodeGpuBench({
      shipped: shippedConfig(),
      steps: value('gpu-steps', 4),
      r: R,
      targets: TARGETS,
      batch: maybe('gpu-batch'),
      seq: maybe('gpu-seq'),
      batch124: maybe('gpu124-batch'),
      seq124: maybe('gpu124-seq'),
      log,
    });
  }
  let realSize: RealSizeReport | null = null;
  if (!flag('skip-node') && !flag('skip-real-size') && !onlyGpu) {
    try {
      realSize = await realSizeBench({ steps: value('real-size-steps', 4), log });
    } catch (e) {
      log(`real-size rows failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  let longTasks: unknown = null;
  if (!flag('skip-browser') && !onlyGpu) {
    try {
      const b = await browserBench();
      reports.push(...b.reports);
      longTasks = b.longTasks;
    } catch (e) {
      log(`browser half failed: ${e instanceof Error ? e.message : String(e)}`);
      reports.push({ where: 'chromium', backend: 'all', matmul: {}, results: [], error: String(e) });
    }
  }
  const date = new Date().toISOString().slice(0, 10);
  const machine = `${hostname()} (${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version})`;
  const bundle = bundleBytes();
  const md =
    markdown(reports, { longTasks, bundle, machine, date, nodeGpu }) +
    (realSize ? `\n\n## Real-size checkpoints (Node wasm)\n\n${realSize.table}` : '');
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `${date}-${hostname().replace(/[^\w.-]/g, '_')}`);
  writeFileSync(
    `${base}.json`,
    JSON.stringify(
      {
        date,
        machine,
        batch: BATCH,
        seq: SEQ,
        r: R,
        targets: TARGETS,
        reports,
        longTasks,
        bundle,
        nodeGpu,
        realSize: realSize?.results ?? null,
        seconds: (Date.now() - t0) / 1000,
      },
      null,
      2,
    ),
  );
  writeFileSync(`${base}.md`, `${md}\n`);
  process.stdout.write(`${md}\n\nwrote ${base}.json and .md in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

// Dawn's instance keeps Node's event loop alive: leave explicitly.
void main().then(() => process.exit(0));
