import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTask, type DataManifest } from '../engine/data/tasks';
import { tinyGpt2Config } from '../engine/gpt2/config';
import { saveGpt2 } from '../engine/gpt2/io';
import { Gpt2Model } from '../engine/gpt2/model';
import { phiAt } from '../engine/paper/subspace';
import { rankSweepPlan, seedPlan } from '../engine/paper/sweeps';
import type { RunSettings } from '../engine/session/types';
import { LmWorkerApi, type SweepEvent, type TrainPlan } from './lmWorkerApi';

const dataDir = new URL('../../public/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as DataManifest;

const base: RunSettings = {
  mode: 'lora',
  adapterName: 'sweep',
  lora: { r: 2, lora_alpha: 4, target_modules: ['c_attn'] },
  learningRate: 1e-2,
  totalSteps: 6,
  warmupSteps: 1,
  batch: 4,
  seq: 16,
  seed: 3,
  evalBatches: 2,
};
const plan: TrainPlan = { evalEvery: 3, sampleEvery: 0, prompts: [], sampleTokens: 4, deltaWModule: null };
const MODULE = 'transformer.h.0.attn.c_attn';

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

/** Training losses per step of each run, by run index. */
function stepLosses(events: SweepEvent[]): number[][] {
  const out: number[][] = [];
  for (const e of events)
    if (e.type === 'run' && e.event.type === 'step') (out[e.index] ??= []).push(e.event.stats.loss);
  return out;
}

describe('paper-lab sweeps in the Worker', () => {
  it('trains each planned run through the run loop; the same seed gives the same losses in a second sweep', async () => {
    const api = await ready();
    // An adapter of the learner's own, active before the sweep: it must be active again after.
    await api.train({ ...base, adapterName: 'mine', totalSteps: 2 }, plan, () => {});
    const runs = rankSweepPlan(base, [1, 4]);
    const first: SweepEvent[] = [];
    const a = await api.sweep('rank', runs, plan, (e) => first.push(e));
    expect(a.stopped).toBe(false);
    expect(a.finished.map((r) => [r.name, r.r, r.steps, r.outcome])).toEqual([
      ['sweep-r1', 1, 6, 'completed'],
      ['sweep-r4', 4, 6, 'completed'],
    ]);
    expect(a.finished[1].trainable).toBe(4 * a.finished[0].trainable);
    expect(first.filter((e) => e.type === 'runStarted').map((e) => (e as { total: number }).total)).toEqual([2, 2]);
    expect(stepLosses(first).map((l) => l.length)).toEqual([6, 6]);
    // The runs live in the lab, not in the workspace; the learner's adapter is active again.
    expect((await api.workspace.adapters()).map((x) => [x.name, x.active])).toEqual([['mine', true]]);
    expect(api.lab.list().map((r) => r.name)).toEqual(['sweep-r1', 'sweep-r4']);

    const second: SweepEvent[] = [];
    const b = await api.sweep('rank', runs, plan, (e) => second.push(e));
    expect(stepLosses(second)).toEqual(stepLosses(first));
    expect(b.finished.map((r) => r.validationLoss)).toEqual(a.finished.map((r) => r.validationLoss));
    expect(api.lab.list()).toHaveLength(2); // a re-run replaces the run of the same name
  });

  it('a stop ends the run in progress (dropped) and the sweep; finished runs stay', async () => {
    const api = await ready();
    const events: SweepEvent[] = [];
    const result = await api.sweep(
      'rank',
      rankSweepPlan({ ...base, totalSteps: 200 }, [1, 2, 4]).slice(0, 3),
      plan,
      (e) => {
        events.push(e);
        // Let the first run finish (200 steps are too many: stop the second early instead).
        if (e.type === 'run' && e.index === 0 && e.event.type === 'step' && e.event.stats.step === 5) api.stop();
      },
    );
    expect(result.stopped).toBe(true);
    expect(result.finished).toEqual([]);
    expect(events.filter((e) => e.type === 'runDropped')).toEqual([
      { type: 'runDropped', index: 0, key: 'r1', steps: 5 },
    ]);
    expect(events.some((e) => e.type === 'runStarted' && e.index === 1)).toBe(false);
    expect(await api.workspace.adapters()).toEqual([]);

    const later: SweepEvent[] = [];
    const shortThenLong = [...rankSweepPlan(base, [1]), ...rankSweepPlan({ ...base, totalSteps: 200 }, [2, 4])];
    const r = await api.sweep('rank', shortThenLong, plan, (e) => {
      later.push(e);
      if (e.type === 'run' && e.index === 1 && e.event.type === 'step' && e.event.stats.step === 3) api.stop();
    });
    expect(r.stopped).toBe(true);
    expect(r.finished.map((x) => x.name)).toEqual(['sweep-r1']);
    expect(later.filter((e) => e.type === 'runStarted').map((e) => (e as { index: number }).index)).toEqual([0, 1]);
    expect(api.lab.list().map((x) => x.name)).toEqual(['sweep-r1']);
    expect(await api.workspace.adapters()).toEqual([]);
    // The next sweep starts fresh: the stop does not carry over.
    const again = await api.sweep('seed', seedPlan(base, [3]), plan, () => {});
    expect(again.finished.map((x) => x.name)).toEqual(['sweep-seed3']);
  });

  it('keeps a run as an adapter, and analyses lab runs and workspace adapters by name', async () => {
    const api = await ready();
    await api.sweep('rank', rankSweepPlan(base, [2, 4]), plan, () => {});
    expect(await api.lab.keep('sweep-r4')).toBe('sweep-r4');
    expect(await api.lab.keep('sweep-r4')).toBe('sweep-r4'); // kept once
    const ws = await api.workspace.adapters();
    expect(ws.map((a) => [a.name, a.r, a.active])).toEqual([['sweep-r4', 4, false]]);
    expect(api.lab.list().find((r) => r.name === 'sweep-r4')?.kept).toBe('sweep-r4');

    const same = await api.lab.subspace('sweep-r4', 'sweep-r4', MODULE);
    for (let i = 1; i <= 4; i++) expect(phiAt(same, i, i)).toBeCloseTo(1, 6);
    const cross = await api.lab.subspace('sweep-r2', 'sweep-r4', MODULE);
    expect([cross.rows, cross.cols, cross.dIn]).toEqual([2, 4, 16]);

    const amp = await api.lab.amplification('sweep-r4', MODULE);
    expect(amp.r).toBe(4);
    expect(amp.deltaWNorm).toBeGreaterThan(0);
    expect(amp.projection.w).toBeGreaterThanOrEqual(amp.projection.deltaW);
    expect(amp.factor).toBeCloseTo(amp.deltaWNorm / amp.projection.deltaW, 9);
    await expect(api.lab.amplification('nope', MODULE)).rejects.toThrow(/no lab run or adapter named "nope"/);
    await expect(api.lab.subspace('sweep-r2', 'sweep-r4', 'transformer.h.0.mlp.c_fc')).rejects.toThrow(
      /does not adapt transformer\.h\.0\.mlp\.c_fc/,
    );
    // A new base model: the runs belonged to the old one.
    const m = Gpt2Model.random(
      tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 16, n_embd: 16, n_layer: 1, n_head: 2 }),
      5,
    );
    const saved = await saveGpt2(m);
    m.dispose();
    await api.load({
      name: 'other',
      config: saved.configJson,
      weights: saved.safetensors,
      tokenizer: read(manifest.tokenizer),
    });
    expect(api.lab.list()).toEqual([]);
  });
});
