/**
 * The browser half of `npm run bench`: the same engine benchmarks as in Node, on the backend named
 * in the query string; or (?longtasks=1) main-thread long tasks while the Worker trains.
 */
import type { BackendName } from '../engine/backend';
import type { TrainBenchOptions } from '../engine/bench/trainBench';

declare global {
  interface Window {
    __bench?: { ok: boolean; result?: unknown; error?: string };
  }
}

const out = document.getElementById('out')!;
const q = new URLSearchParams(window.location.search);


async function runEngineBench() {
  const [{ selectBackend }, { benchMatmul, benchTraining }, { WASM_PATHS }] = await Promise.all([
    import('../engine/backend'),
    import('../engine/bench/trainBench'),
    import('../ui/wasmPaths'),
  ]);
  const backend = q.get('backend') as BackendName;
  const info = await selectBackend({ force: backend, wasmPaths: WASM_PATHS });
  if (info.name !== backend) throw new Error(`${backend} unavailable: ${info.skipped.map((s) => s.reason).join('; ')}`);
  const runs = JSON.parse(q.get('runs') ?? '[]') as TrainBenchOptions[];
  const matmul: Record<string, number> = {};
  for (const n of JSON.parse(q.get('matmul') ?? '[512]') as number[]) matmul[n] = await benchMatmul(n, Number(q.get('reps') ?? 3));
  const results = [];
  for (const r of runs) results.push(await benchTraining(r));
  return { backend: info.name, adapter: info.adapter ?? null, matmul, results };
}

async function runLongTasks() {
  const tasks: number[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push(e.duration);
  });
  obs.observe({ type: 'longtask', buffered: false });
  const { lmWorker, fetchShippedModelFiles } = await import('../ui/lm/lmClient');
  const { loadTask } = await import('../engine/data/tasks');
  const api = await lmWorker();
  await api.load(await fetchShippedModelFiles());
  const manifest = await (await fetch(new URL('../../data/manifest.json', window.location.href))).json();
  const ds = await loadTask(manifest, 'names', async (f) => (await fetch(new URL(`../../data/${f}`, window.location.href))).text());
  await api.setDataset(ds);
  tasks.length = 0;
  const steps = Number(q.get('steps') ?? 30);
  const t0 = performance.now();
  // Keep the main thread busy the way the Train page is: a frame callback each frame.
  let frames = 0;
  let running = true;
  const tick = () => {
    frames++;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const { Comlink } = await import('../ui/lm/lmClient');
  const result = await api.train(
    { mode: 'lora', adapterName: 'bench', lora: { r: 8, lora_alpha: 16, target_modules: ['c_attn'] }, learningRate: 3e-3, totalSteps: steps, warmupSteps: 2, batch: 16, seq: 32, seed: 1, evalBatches: 2 },
    { evalEvery: 10, sampleEvery: 0, prompts: [], sampleTokens: 0, deltaWModule: 'transformer.h.0.attn.c_attn' },
    Comlink.proxy(() => undefined),
  );
  running = false;
  obs.disconnect();
  const wall = performance.now() - t0;
  return { steps: result.steps, wallMs: wall, frames, longTasks: tasks.length, longestTaskMs: tasks.length ? Math.max(...tasks) : 0, medianMsPerStep: result.medianMsPerStep };
}

/** The engine's forward and LoRA gradients against the float64 reference, on this page's backend. */
async function runSelfTest() {
  const [{ selectBackend }, { runEngineSelfTest }, { WASM_PATHS }] = await Promise.all([
    import('../engine/backend'),
    import('../engine/gpt2/selfTest'),
    import('../ui/wasmPaths'),
  ]);
  const backend = q.get('backend') as BackendName;
  const info = await selectBackend({ force: backend, wasmPaths: WASM_PATHS });
  if (info.name !== backend) throw new Error(`${backend} unavailable: ${info.skipped.map((s) => s.reason).join('; ')}`);
  return runEngineSelfTest();
}

(q.has('selftest') ? runSelfTest() : q.has('longtasks') ? runLongTasks() : runEngineBench())
  .then((result) => {
    window.__bench = { ok: true, result };
    out.textContent = JSON.stringify(result, null, 2);
  })
  .catch((e: unknown) => {
    const error = e instanceof Error ? e.message : String(e);
    window.__bench = { ok: false, error };
    out.textContent = `failed: ${error}`;
  });
