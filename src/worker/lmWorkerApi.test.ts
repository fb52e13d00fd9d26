import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { loadTask, type DataManifest } from '../engine/data/tasks';
import { tinyGpt2Config } from '../engine/gpt2/config';
import { saveGpt2 } from '../engine/gpt2/io';
import { Gpt2Model } from '../engine/gpt2/model';
import type { AdapterWeights } from '../engine/lora/types';
import { adapterMaxAbsDiff } from '../engine/session/hostCopy';
import { AdapterWorkspace } from '../engine/session/adapterWorkspace';
import { LmSession } from '../engine/session/lmSession';
import type { RunSettings, RunSnapshot } from '../engine/session/types';
import { tf } from '../engine/tf';
import { LmWorkerApi, type RecoveredEvent, type TrainEvent } from './lmWorkerApi';

const dataDir = new URL('../../public/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as DataManifest;

const settings: RunSettings = {
  mode: 'lora',
  adapterName: 'dates',
  lora: { r: 2, lora_alpha: 4, target_modules: ['c_attn'] },
  learningRate: 1e-2,
  totalSteps: 12,
  warmupSteps: 2,
  batch: 4,
  seq: 16,
  seed: 1,
  evalBatches: 2,
};
const plan = {
  evalEvery: 4,
  sampleEvery: 6,
  prompts: ['19'],
  sampleTokens: 4,
  deltaWModule: 'transformer.h.0.attn.c_attn',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ready(): Promise<LmWorkerApi> {
  const api = new LmWorkerApi();
  await api.init({ force: 'wasm' });
  const m = Gpt2Model.random(
    tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 16, n_embd: 16, n_layer: 1, n_head: 2 }),
    2,
  );
  const saved = await saveGpt2(m);
  m.dispose();
  await api.load({
    name: 'tiny',
    config: saved.configJson,
    weights: saved.safetensors,
    tokenizer: read(manifest.tokenizer),
  });
  api.setDataset(await loadTask(manifest, 'dates', async (f) => read(f)));
  return api;
}

describe('LmWorkerApi', () => {
  it('runs a plan: step, eval, samples and ΔW events in order, and a result with timings', async () => {
    const api = await ready();
    const events: TrainEvent[] = [];
    const result = await api.train(settings, plan, (e) => events.push(e));
    expect(result.outcome).toBe('completed');
    expect(result.steps).toBe(12);
    expect(events.filter((e) => e.type === 'step')).toHaveLength(12);
    expect(events.filter((e) => e.type === 'eval').map((e) => (e as { step: number }).step)).toEqual([0, 4, 8, 12]);
    expect(events.filter((e) => e.type === 'samples').map((e) => (e as { step: number }).step)).toEqual([0, 6, 12]);
    const dw = events.filter((e) => e.type === 'deltaW');
    expect(dw).toHaveLength(3);
    expect(result.medianMsPerStep).toBeGreaterThan(0);
    // One definition of speed: tokens/s = batch × seq / the median step time after warm-up.
    expect(result.tokensPerSec).toBeCloseTo((settings.batch * settings.seq * 1000) / result.medianMsPerStep, 6);
    expect((await api.workspace.adapters()).map((a) => a.name)).toEqual(['dates']);
  });

  it('keeps a full run after it ends: its ΔW has full rank, and its files load as a model', async () => {
    const api = await ready();
    await expect(api.fullRunDeltaW('transformer.h.0.attn.c_attn')).rejects.toThrow(/no full fine-tuning run/);
    const full: RunSettings = { ...settings, mode: 'full', totalSteps: 3 };
    const result = await api.train(full, { ...plan, prompts: [], deltaWModule: null }, () => undefined);
    expect(result.outcome).toBe('completed');
    const dw = await api.fullRunDeltaW('transformer.h.0.attn.c_attn');
    expect(dw.kind).toBe('full');
    expect(dw.shape).toEqual([48, 16]); // c_attn: 16 → 3·16, as [d_out, d_in]
    expect(dw.numericalRank).toBe(16); // nothing bounds it: every direction moved
    const files = api.fullRunFiles();
    const back = LmSession.open({
      name: 'back',
      config: files['config.json'],
      weights: files['model.safetensors'],
      tokenizer: files['tokenizer.json'],
    });
    expect(back.summary().baseParams).toBe(api.summary()!.baseParams);
    back.dispose();
    // A module the copy does not have is refused by name.
    await expect(api.fullRunDeltaW('transformer.h.0.attn.nope')).rejects.toThrow(/no matrix/);
  });

  it('pauses between steps, resumes, and stops early keeping the adapter', async () => {
    const api = await ready();
    const events: TrainEvent[] = [];
    const done = api.train({ ...settings, totalSteps: 200 }, { ...plan, sampleEvery: 0, prompts: [] }, (e) => {
      events.push(e);
      if (e.type === 'step' && e.stats.step === 3) api.pause();
    });
    // Wait for the pause rather than a fixed time: the shared test machine can be slow.
    for (let t = 0; t < 200 && !events.some((e) => e.type === 'paused'); t++) await sleep(50);
    await sleep(300);
    const stepsWhilePaused = events.filter((e) => e.type === 'step').length;
    expect(stepsWhilePaused).toBe(3);
    expect(events.some((e) => e.type === 'paused')).toBe(true);
    api.resume();
    for (let t = 0; t < 200 && events.filter((e) => e.type === 'step').length < 5; t++) await sleep(50);
    api.stop();
    const result = await done;
    expect(result.outcome).toBe('stopped');
    expect(result.steps).toBeGreaterThan(3);
    expect(result.steps).toBeLessThan(200);
    expect(await api.workspace.adapters()).toHaveLength(1);
  });

  it('exposes every adapter-workspace operation, forwarded by name', async () => {
    const empty = new LmWorkerApi();
    const ops = Object.getOwnPropertyNames(AdapterWorkspace.prototype).filter((k) => k !== 'constructor');
    expect(Object.keys(empty.workspace).sort()).toEqual(ops.sort());
    expect(await empty.workspace.adapters()).toEqual([]);
    await expect(empty.workspace.merge('x')).rejects.toThrow(/no model is loaded yet/);
    const api = await ready();
    await api.train({ ...settings, totalSteps: 2 }, { ...plan, prompts: [], deltaWModule: null }, () => {});
    await api.workspace.renameAdapter('dates', 'renamed');
    expect((await api.workspace.adapters()).map((a) => [a.name, a.active])).toEqual([['renamed', true]]);
    expect((await api.workspace.deltaW('transformer.h.0.attn.c_attn', 'renamed')).shape).toEqual([48, 16]);
  });

  it('a malformed checkpoint leaves the loaded model usable', async () => {
    const api = await ready();
    await expect(
      api.load({
        name: 'bad',
        config: '{"n_embd": 16}',
        weights: new Uint8Array(4),
        tokenizer: read(manifest.tokenizer),
      }),
    ).rejects.toThrow(/config.json|safetensors/);
    expect(api.summary()?.name).toBe('tiny');
    const s = await api.samples(['19'], { maxNewTokens: 3, temperature: 0, seed: 0, useAdapter: false });
    expect(s[0].text.startsWith('19')).toBe(true);
  });
});

describe('LmWorkerApi device loss', () => {
  it('a failing backend: falls back wasm → cpu, restores every adapter, resumes from the last snapshot', async () => {
    const api = await ready();
    const quiet = { ...plan, prompts: [], deltaWModule: null };
    await api.train({ ...settings, adapterName: 'other', totalSteps: 3 }, quiet, () => {});
    // Renamed through the workspace: its host copy must follow, or the recovery would lose it.
    await api.workspace.renameAdapter('other', 'kept');
    const otherBefore = await api.workspace.adapterWeights('kept');
    // The 7th step of the next run throws, as a read-back from a lost device does.
    const realStep = LmSession.prototype.step;
    let calls = 0;
    const spy = vi.spyOn(LmSession.prototype, 'step').mockImplementation(function (this: LmSession) {
      calls++;
      return calls === 7 ? Promise.reject(new Error('simulated: the device is gone')) : realStep.call(this);
    });
    const realSnapshot = LmSession.prototype.runSnapshot;
    const snapshots: RunSnapshot[] = [];
    const snapSpy = vi.spyOn(LmSession.prototype, 'runSnapshot').mockImplementation(async function (
      this: LmSession,
      loss: number,
    ) {
      const snap = await realSnapshot.call(this, loss);
      snapshots.push(snap);
      return snap;
    });
    const events: TrainEvent[] = [];
    let restoredAtRecovery: Promise<AdapterWeights> | null = null;
    let result;
    try {
      result = await api.train(
        { ...settings, adapterName: 'dates' },
        { ...quiet, deltaWModule: 'transformer.h.0.attn.c_attn', snapshotEvery: 5 },
        (e) => {
          events.push(e);
          // Read back right away: the Worker steps again only after a yield.
          if (e.type === 'recovered') restoredAtRecovery = api.workspace.adapterWeights('dates');
        },
      );
    } finally {
      spy.mockRestore();
      snapSpy.mockRestore();
    }
    const lost = events.find((e) => e.type === 'deviceLost');
    expect(lost).toMatchObject({ step: 6, from: 'wasm', to: 'cpu' });
    expect((lost as { reason: string }).reason).toMatch(/training failed on wasm: simulated: the device is gone/);
    const rec = events.find((e) => e.type === 'recovered') as RecoveredEvent;
    expect(rec.step).toBe(5); // snapshots at 4 (eval) and 5 (snapshotEvery); lost during step 7
    expect(rec.backend.name).toBe('cpu');
    expect(rec.restoredMaxAbsDiff).toBe(0);
    expect(rec.message).toMatch(/optimizer's moments restart from zero/);
    expect(events.indexOf(lost!)).toBeLessThan(events.indexOf(rec));
    // Steps 1–6 on wasm, then 6–12 again from the snapshot at 5 on cpu.
    const steps = events.filter((e) => e.type === 'step').map((e) => (e as { stats: { step: number } }).stats.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 6, 7, 8, 9, 10, 11, 12]);
    expect(
      steps.every((_, i) =>
        Number.isFinite((events.filter((e) => e.type === 'step')[i] as { stats: { loss: number } }).stats.loss),
      ),
    ).toBe(true);
    expect(result!.outcome).toBe('completed');
    expect(result!.steps).toBe(12);
    expect(result!.backend.name).toBe('cpu');
    expect(result!.deviceLosses).toHaveLength(1);
    expect(tf.getBackend()).toBe('cpu');
    // The adapter right after recovery is the snapshot at step 5 (a second, independent read-back).
    const at5 = await restoredAtRecovery!;
    const taken = snapshots.find((x) => x.step === 5 && x.adapterName === 'dates')!;
    expect(adapterMaxAbsDiff(at5, taken.weights as AdapterWeights)).toBe(0);
    // Every adapter is back: the other one bit-identical, the trained one trained on.
    expect((await api.workspace.adapters()).map((a) => a.name)).toEqual(['kept', 'dates']);
    expect(adapterMaxAbsDiff(await api.workspace.adapterWeights('kept'), otherBefore)).toBe(0);
    expect(adapterMaxAbsDiff(await api.workspace.adapterWeights('dates'), at5)).toBeGreaterThan(0);
    expect(result!.finalValidationLoss).toBeLessThan(result!.baseValidationLoss);
  });

  it('PiSSA: the residual base (W − s·B·A of the init) is what a recovery reloads', async () => {
    const pissa = { ...settings, totalSteps: 6, lora: { ...settings.lora, init_lora_weights: 'pissa' as const } };
    const quiet = { ...plan, prompts: [], deltaWModule: null, snapshotEvery: 2 };
    const text = '1999-12-31';
    const clean = await ready();
    const original = (await clean.score(text, false)).nll;
    await clean.train(pissa, quiet, () => {});
    const residual = (await clean.score(text, false)).nll;
    expect(Math.abs(residual - original)).toBeGreaterThan(1e-3); // PiSSA moved the top directions into the adapter

    const api = await ready();
    const realStep = LmSession.prototype.step;
    let calls = 0;
    const spy = vi.spyOn(LmSession.prototype, 'step').mockImplementation(function (this: LmSession) {
      return ++calls === 4 ? Promise.reject(new Error('simulated loss')) : realStep.call(this);
    });
    try {
      const result = await api.train(pissa, quiet, () => {});
      expect(result.deviceLosses).toHaveLength(1);
      expect(result.steps).toBe(6);
    } finally {
      spy.mockRestore();
    }
    expect(tf.getBackend()).toBe('cpu');
    expect((await api.score(text, false)).nll).toBeCloseTo(residual, 4);
  });

  it('simulateDeviceLoss says it needs webgpu on other backends', async () => {
    const api = await ready();
    expect(() => api.simulateDeviceLoss()).toThrow(/only be simulated on webgpu \(the backend is wasm\)/);
  });
});
