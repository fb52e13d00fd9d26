/**
 * The browser half of `npm run bench`: the same engine benchmarks as in Node, on the backend named
 * in the query string; or (?longtasks=1) main-thread long tasks while the Worker trains; or
 * (?deviceloss=1) a LoRA run in the Worker on webgpu whose device is destroyed mid-run.
 */
import type { BackendName } from '../engine/backend';
import type { TrainBenchOptions } from '../engine/bench/trainBench';
import { errorMessage } from '../engine/types';

declare global {
  interface Window {
    __bench?: { ok: boolean; result?: unknown; error?: string };
  }
}

const out = document.getElementById('out')!;
const q = new URLSearchParams(window.location.search);
// The app's icon: without one the browser asks for /favicon.ico, a 404 that tests count as an error.
document.head.append(
  Object.assign(document.createElement('link'), {
    rel: 'icon',
    type: 'image/svg+xml',
    href: new URL('../../favicon.svg', window.location.href).href,
  }),
);

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
  for (const n of JSON.parse(q.get('matmul') ?? '[512]') as number[])
    matmul[n] = await benchMatmul(n, Number(q.get('reps') ?? 3));
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
  await api.load(await fetchShippedModelFiles(new URL('../../', window.location.href).href));
  const manifest = await (await fetch(new URL('../../data/manifest.json', window.location.href))).json();
  const ds = await loadTask(manifest, 'names', async (f) =>
    (await fetch(new URL(`../../data/${f}`, window.location.href))).text(),
  );
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
    {
      mode: 'lora',
      adapterName: 'bench',
      lora: { r: 8, lora_alpha: 16, target_modules: ['c_attn'] },
      learningRate: 3e-3,
      totalSteps: steps,
      warmupSteps: 2,
      batch: 16,
      seq: 32,
      seed: 1,
      evalBatches: 2,
    },
    { evalEvery: 10, sampleEvery: 0, prompts: [], sampleTokens: 0, deltaWModule: 'transformer.h.0.attn.c_attn' },
    Comlink.proxy(() => undefined),
  );
  running = false;
  obs.disconnect();
  const wall = performance.now() - t0;
  return {
    steps: result.steps,
    wallMs: wall,
    frames,
    longTasks: tasks.length,
    longestTaskMs: tasks.length ? Math.max(...tasks) : 0,
    medianMsPerStep: result.medianMsPerStep,
  };
}

/**
 * `?model=shipped`: the shipped tiny model (the caller checked it is there: probing would log a
 * 404); else a random tiny GPT-2 built here (on cpu) with the shipped char tokenizer.
 */
async function tinyModelFiles(manifest: { vocabSize: number; tokenizer: string }) {
  const at = (f: string) => new URL(f, window.location.href);
  if (q.get('model') === 'shipped') {
    const get = async (f: string) => {
      const r = await fetch(at(`../../models/tiny/${f}`));
      if (!r.ok) throw new Error(`models/tiny/${f}: HTTP ${r.status}`);
      return r;
    };
    const [config, weights, tokenizer] = await Promise.all(
      ['config.json', 'model.safetensors', 'tokenizer.json'].map(get),
    );
    return {
      name: 'lowrank-tiny',
      config: await config.text(),
      weights: new Uint8Array(await weights.arrayBuffer()),
      tokenizer: await tokenizer.text(),
      shipped: true,
    };
  }
  const [{ tf }, { tinyGpt2Config }, { Gpt2Model }, { saveGpt2 }] = await Promise.all([
    import('../engine/tf'),
    import('../engine/gpt2/config'),
    import('../engine/gpt2/model'),
    import('../engine/gpt2/io'),
  ]);
  await tf.setBackend('cpu');
  const m = Gpt2Model.random(
    tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 16, n_embd: 16, n_layer: 1, n_head: 2 }),
    5,
  );
  const saved = await saveGpt2(m);
  m.dispose();
  const tokenizer = await (await fetch(at(`../../data/${manifest.tokenizer}`))).text();
  return { name: 'tiny-random', config: saved.configJson, weights: saved.safetensors, tokenizer, shipped: false };
}

/**
 * Device loss: boot the training Worker on webgpu, start a tiny LoRA run, destroy the WebGPU
 * device after a few steps (simulateDeviceLoss), and report what the Worker did about it.
 */
async function runDeviceLoss() {
  const [Comlink, { WASM_PATHS }, { loadTask }] = await Promise.all([
    import('comlink'),
    import('../ui/wasmPaths'),
    import('../engine/data/tasks'),
  ]);
  const manifest = await (await fetch(new URL('../../data/manifest.json', window.location.href))).json();
  const { shipped, ...files } = await tinyModelFiles(manifest);
  const worker = new Worker(new URL('../worker/lm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'lowrank-trainer',
  });
  const api = Comlink.wrap<import('../worker/lmWorkerApi').LmWorkerApi>(worker);
  try {
    const info = await api.init({ force: 'webgpu', wasmPaths: WASM_PATHS });
    if (info.name !== 'webgpu') throw new Error(`webgpu unavailable: ${info.skipped.map((x) => x.reason).join('; ')}`);
    await api.load(files);
    await api.setDataset(
      await loadTask(manifest, 'dates', async (f) =>
        (await fetch(new URL(`../../data/${f}`, window.location.href))).text(),
      ),
    );
    const lossAfter = Number(q.get('lossAfter') ?? 3);
    const totalSteps = Number(q.get('steps') ?? 12);
    const events: Record<string, unknown>[] = [];
    let destroyed = false;
    const onEvent = (e: import('../worker/lmWorkerApi').TrainEvent) => {
      if (e.type === 'step') {
        events.push({ type: 'step', step: e.stats.step, loss: e.stats.loss });
        if (e.stats.step === lossAfter && !destroyed) {
          destroyed = true;
          void api.simulateDeviceLoss();
        }
      } else if (e.type === 'recovered') events.push({ ...e, backend: e.backend.name });
      else if (e.type === 'eval' || e.type === 'deviceLost' || e.type === 'started')
        events.push(e.type === 'started' ? { type: 'started' } : { ...e });
    };
    const result = await api.train(
      {
        mode: 'lora',
        adapterName: 'dates',
        lora: { r: 2, lora_alpha: 4, target_modules: ['c_attn'] },
        learningRate: 1e-2,
        totalSteps,
        warmupSteps: 2,
        batch: 2,
        seq: 8,
        seed: 1,
        evalBatches: 1,
      },
      { evalEvery: 4, sampleEvery: 0, prompts: [], sampleTokens: 0, deltaWModule: null, snapshotEvery: 2 },
      Comlink.proxy(onEvent),
    );
    const adapters = (await api.workspace.adapters()).map((a) => ({
      name: a.name,
      active: a.active,
      params: a.params,
    }));
    const weights = await api.workspace.adapterWeights('dates');
    const finiteWeights = [...weights.modules.values()].every(
      (m) => m.A.data.every(Number.isFinite) && m.B.data.every(Number.isFinite),
    );
    const backendAfter = (await api.backendInfo())?.name ?? null;
    const idle = await idleDeviceLoss(Comlink, files, weights, WASM_PATHS);
    return {
      model: files.name,
      shipped,
      events,
      outcome: result.outcome,
      steps: result.steps,
      finalValidationLoss: result.finalValidationLoss,
      baseValidationLoss: result.baseValidationLoss,
      resultBackend: result.backend.name,
      deviceLosses: result.deviceLosses,
      adapters,
      finiteWeights,
      backendAfter,
      idle,
    };
  } finally {
    worker.terminate();
  }
}

/**
 * Device loss while idle: a fresh Worker on webgpu holds the trained adapter; its device is
 * destroyed; it must reload the model and the adapter on the next backend by itself.
 */
async function idleDeviceLoss(
  Comlink: typeof import('comlink'),
  files: import('../engine/session/types').BaseFiles,
  adapter: import('../engine/lora/types').AdapterWeights,
  wasmPaths: Record<string, string>,
) {
  const worker = new Worker(new URL('../worker/lm.worker.ts', import.meta.url), {
    type: 'module',
    name: 'lowrank-trainer-idle',
  });
  const api = Comlink.wrap<import('../worker/lmWorkerApi').LmWorkerApi>(worker);
  try {
    await api.init({ force: 'webgpu', wasmPaths });
    await api.load(files);
    await api.workspace.restoreAdapter('dates', adapter);
    const events: Record<string, unknown>[] = [];
    await api.onDeviceEvent(
      Comlink.proxy(
        (e: import('../worker/lmWorkerApi').DeviceEvent) =>
          void events.push(e.type === 'recovered' ? { ...e, backend: e.backend.name } : { ...e }),
      ),
    );
    await api.simulateDeviceLoss();
    const t0 = performance.now();
    while (!events.some((e) => e.type === 'recovered') && performance.now() - t0 < 60_000)
      await new Promise((r) => setTimeout(r, 100));
    const adapters = (await api.workspace.adapters()).map((a) => a.name);
    const back = adapters.includes('dates') ? await api.workspace.adapterWeights('dates') : null;
    let maxAbsDiff: number | null = null;
    if (back) {
      maxAbsDiff = 0;
      for (const [path, m] of adapter.modules) {
        const b = back.modules.get(path);
        if (!b) maxAbsDiff = Infinity;
        else
          for (const [x, y] of [
            [m.A.data, b.A.data],
            [m.B.data, b.B.data],
          ])
            x.forEach((v, i) => (maxAbsDiff = Math.max(maxAbsDiff!, Math.abs(v - y[i]))));
      }
    }
    const score = await api.score('2024-03-17', true);
    return { events, adapters, maxAbsDiff, nll: score.nll, backend: (await api.backendInfo())?.name ?? null };
  } finally {
    worker.terminate();
  }
}

/** The engine's forward and LoRA gradients against the float64 reference, on this page's backend. */
async function runSelfTest() {
  const [{ selectBackend }, { runEngineSelfTest }, { WASM_PATHS }] = await Promise.all([
    import('../engine/backend'),
    import('../engine/bench/selfTest'),
    import('../ui/wasmPaths'),
  ]);
  const backend = q.get('backend') as BackendName;
  const info = await selectBackend({ force: backend, wasmPaths: WASM_PATHS });
  if (info.name !== backend) throw new Error(`${backend} unavailable: ${info.skipped.map((s) => s.reason).join('; ')}`);
  return runEngineSelfTest();
}

(q.has('selftest')
  ? runSelfTest()
  : q.has('longtasks')
    ? runLongTasks()
    : q.has('deviceloss')
      ? runDeviceLoss()
      : runEngineBench()
)
  .then((result) => {
    window.__bench = { ok: true, result };
    out.textContent = JSON.stringify(result, null, 2);
  })
  .catch((e: unknown) => {
    const error = errorMessage(e);
    window.__bench = { ok: false, error };
    out.textContent = `failed: ${error}`;
  });
