import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTask, type DataManifest } from '../engine/data/tasks';
import { tinyGpt2Config } from '../engine/gpt2/config';
import { saveGpt2 } from '../engine/gpt2/io';
import { Gpt2Model } from '../engine/gpt2/model';
import type { RunSettings } from '../engine/session/lmSession';
import { LmWorkerApi, type TrainEvent } from './lmWorkerApi';

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
const plan = { evalEvery: 4, sampleEvery: 6, prompts: ['19'], sampleTokens: 4, deltaWModule: 'transformer.h.0.attn.c_attn' };

async function ready(): Promise<LmWorkerApi> {
  const api = new LmWorkerApi();
  await api.init({ force: 'wasm' });
  const m = Gpt2Model.random(tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 16, n_embd: 16, n_layer: 1, n_head: 2 }), 2);
  const saved = await saveGpt2(m);
  m.dispose();
  await api.load({ name: 'tiny', config: saved.configJson, weights: saved.safetensors, tokenizer: read(manifest.tokenizer) });
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
    expect(api.adapters().map((a) => a.name)).toEqual(['dates']);
  });

  it('pauses between steps, resumes, and stops early keeping the adapter', async () => {
    const api = await ready();
    const events: TrainEvent[] = [];
    const done = api.train({ ...settings, totalSteps: 200 }, { ...plan, sampleEvery: 0, prompts: [] }, (e) => {
      events.push(e);
      if (e.type === 'step' && e.stats.step === 3) api.pause();
    });
    await new Promise((r) => setTimeout(r, 300));
    const stepsWhilePaused = events.filter((e) => e.type === 'step').length;
    expect(stepsWhilePaused).toBe(3);
    expect(events.some((e) => e.type === 'paused')).toBe(true);
    api.resume();
    await new Promise((r) => setTimeout(r, 200));
    api.stop();
    const result = await done;
    expect(result.outcome).toBe('stopped');
    expect(result.steps).toBeGreaterThan(3);
    expect(result.steps).toBeLessThan(200);
    expect(api.adapters()).toHaveLength(1);
  });

  it('a malformed checkpoint leaves the loaded model usable', async () => {
    const api = await ready();
    await expect(api.load({ name: 'bad', config: '{"n_embd": 16}', weights: new Uint8Array(4), tokenizer: read(manifest.tokenizer) })).rejects.toThrow(/config.json|safetensors/);
    expect(api.summary()?.name).toBe('tiny');
    const s = await api.samples(['19'], { maxNewTokens: 3, temperature: 0, seed: 0, useAdapter: false });
    expect(s[0].text.startsWith('19')).toBe(true);
  });
});
