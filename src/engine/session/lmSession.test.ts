import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { loadTask, type DataManifest } from '../data/tasks';
import { tinyGpt2Config } from '../gpt2/config';
import { saveGpt2 } from '../gpt2/io';
import { Gpt2Model } from '../gpt2/model';
import { initGpt2Weights } from '../gpt2/params';
import { tf } from '../tf';
import type { AdapterWeights } from '../lora/types';
import { learningRateAt } from '../train/schedule';
import { adapterMaxAbsDiff } from './hostCopy';
import { randomAdapter } from '../testing/testAdapter';
import { LmSession } from './lmSession';
import type { RunSettings } from './types';

const dataDir = new URL('../../../public/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as DataManifest;
const tokenizerText = read(manifest.tokenizer);

/**
 * A random tiny GPT-2 whose embeddings are scaled up: with GPT-2's N(0, 0.02) init the tied head
 * can only produce near-uniform logits (ln_f bounds the hidden state and wte is frozen under
 * LoRA), so a random base would hide whether LoRA learns. A pretrained base has large rows.
 */
async function openTiny(): Promise<LmSession> {
  const config = tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 16, n_embd: 32, n_layer: 2, n_head: 2 });
  const weights = initGpt2Weights(config, 3);
  for (const key of ['transformer.wte.weight']) weights.get(key)!.data.forEach((v, i, a) => (a[i] = v * 10));
  const model = Gpt2Model.fromWeights(config, weights);
  const { safetensors, configJson } = await saveGpt2(model);
  model.dispose();
  return LmSession.open({ name: 'tiny-test', config: configJson, weights: safetensors, tokenizer: tokenizerText });
}

const settings: RunSettings = {
  mode: 'lora',
  adapterName: 'names',
  lora: { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
  learningRate: 5e-2,
  totalSteps: 40,
  warmupSteps: 4,
  batch: 8,
  seq: 16,
  seed: 1,
  evalBatches: 4,
};

describe('LmSession (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('trains a LoRA adapter: validation loss drops, ΔW has rank ≤ r, tensors stay flat, base untouched', async () => {
    const s = await openTiny();
    s.setDataset(await loadTask(manifest, 'names', async (f) => read(f)));
    const summary = s.summary();
    expect(summary.targets.map((t) => t.key)).toEqual(['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj']);
    const before = await s.evaluate(false);
    const baseWeights = await (await s.workspace.exportBaseFiles())['model.safetensors'];
    const info = await s.beginRun(settings);
    expect(info.trainable.trainable).toBe(2 * 4 * (32 + 96 + 32 + 32 + 32 + 128 + 128 + 32));
    expect(info.optimizerStateBytes).toBe(info.trainable.trainable * 8);
    let tensorsAt2 = 0;
    for (let i = 0; i < settings.totalSteps; i++) {
      const st = await s.step();
      if (st.step === 2) tensorsAt2 = st.numTensors;
      expect(st.stopped).toBeUndefined();
    }
    expect(tf.memory().numTensors).toBe(tensorsAt2);
    const baseLoss = await s.evaluate(false);
    const after = await s.evaluate(true);
    console.log(
      `names, random tiny base (wte×10): validation ${baseLoss.toFixed(3)} → ${after.toFixed(3)} nats/token after ${settings.totalSteps} LoRA steps`,
    );
    expect(after).toBeLessThan(baseLoss - 0.5);
    expect(s.endRun().steps).toBe(settings.totalSteps);
    const dw = await s.workspace.deltaW('transformer.h.1.attn.c_attn');
    expect(dw.shape).toEqual([96, 32]);
    expect(dw.numericalRank).toBeLessThanOrEqual(4);
    expect(dw.numericalRank).toBeGreaterThan(0);
    // LoRA never touched the base weights (the adapter is not merged)
    s.workspace.activate(null);
    expect((await s.workspace.exportBaseFiles())['model.safetensors']).toEqual(baseWeights);
    expect(await s.evaluate(true)).toBeCloseTo(before, 5);
    s.dispose();
  });

  it('an exported base says where generation stops: bos/eos_token_id are the tokenizer’s end-of-text id', async () => {
    const s = await openTiny();
    const config = JSON.parse((await s.workspace.exportBaseFiles())['config.json']);
    expect(config.eos_token_id).toBe(s.tokenizer.endOfTextId);
    expect(config.bos_token_id).toBe(s.tokenizer.endOfTextId);
    expect(config.eos_token_id).toBeLessThan(config.vocab_size);
    s.dispose();
  });

  it('export → import gives identical outputs; merge keeps them; swap changes them', async () => {
    const s = await openTiny();
    s.setDataset(await loadTask(manifest, 'dates', async (f) => read(f)));
    await s.beginRun({ ...settings, totalSteps: 10, adapterName: 'dates' });
    for (let i = 0; i < 10; i++) await s.step();
    s.endRun(1.5);
    const files = await s.workspace.exportAdapterFiles('dates');
    // the model card knows what the adapter was trained on without being told
    expect(files['README.md']).toMatch(/\| Data \| Dates \|/);
    expect(files['README.md']).toMatch(/\| Training steps \| 10 \|/);
    expect(files['README.md']).toMatch(/\| Validation loss at the end \(nats\/token\) \| 1\.5000 \|/);
    const prompts = ['19', '2024-'];
    const opts = { maxNewTokens: 8, temperature: 0, seed: 0, useAdapter: true };
    const trained = await s.samples(prompts, opts);
    const nllTrained = (await s.score('2024-03-17', true)).nll;

    const { name, warnings } = s.workspace.importAdapterFiles(
      'dates-copy',
      new Map<string, Uint8Array>([
        ['adapter_model.safetensors', files['adapter_model.safetensors']],
        ['adapter_config.json', new TextEncoder().encode(files['adapter_config.json'])],
      ]),
    );
    expect(warnings).toEqual([]);
    expect(s.workspace.adapters().find((a) => a.name === name)?.active).toBe(true);
    expect(await s.samples(prompts, opts)).toEqual(trained);
    expect((await s.score('2024-03-17', true)).nll).toBeCloseTo(nllTrained, 6);

    s.workspace.merge(name);
    expect((await s.score('2024-03-17', false)).nll).toBeCloseTo(nllTrained, 4);
    s.workspace.unmerge(name);

    s.workspace.activate(null);
    const base = await s.score('2024-03-17', true);
    expect(base.nll).not.toBeCloseTo(nllTrained, 3);
    const n = tf.memory().numTensors;
    s.workspace.deleteAdapter(name);
    expect(tf.memory().numTensors).toBeLessThan(n);
    s.dispose();
  });

  it.each(['lora', 'full'] as const)(
    '%s: a fresh session resumes a run from its host snapshot (as after a lost device)',
    async (mode) => {
      const dates = await loadTask(manifest, 'dates', async (f) => read(f));
      const st: RunSettings = {
        ...settings,
        mode,
        adapterName: 'dates',
        totalSteps: 6,
        learningRate: mode === 'full' ? 1e-3 : 5e-2,
      };
      const a = await openTiny();
      a.setDataset(dates);
      await a.beginRun(st);
      let loss = NaN;
      for (let i = 0; i < 3; i++) loss = (await a.step()).loss;
      const snap = await a.runSnapshot(loss);
      const validationA = await a.evaluate(true);
      a.dispose();
      expect(snap).toMatchObject({ step: 3, loss, mode, adapterName: mode === 'lora' ? 'dates' : null });

      const before = tf.memory().numTensors;
      const b = await openTiny();
      b.setDataset(dates);
      await b.beginRun(st, snap);
      expect(b.stepsDone).toBe(3);
      expect(await b.evaluate(true)).toBe(validationA); // the same weights on the same backend
      if (mode === 'lora') {
        expect(b.workspace.adapters().map((x) => x.name)).toEqual(['dates']);
        expect(adapterMaxAbsDiff(await b.workspace.adapterWeights('dates'), snap.weights as AdapterWeights)).toBe(0);
      }
      const s4 = await b.step();
      expect(s4.step).toBe(4);
      expect(s4.lr).toBe(
        learningRateAt(3, { learningRate: st.learningRate, warmupSteps: st.warmupSteps, totalSteps: 6 }),
      );
      while (b.stepsDone < 6) expect(Number.isFinite((await b.step()).loss)).toBe(true);
      expect(b.endRun().steps).toBe(6);
      b.dispose();
      expect(tf.memory().numTensors).toBe(before);
      await expect(
        openTiny().then((c) =>
          c.beginRun({ ...st, mode: mode === 'lora' ? 'full' : 'lora' }, snap).finally(() => c.dispose()),
        ),
      ).rejects.toThrow(/cannot resume a/);
    },
  );

  it('a base from the Hub is named by its repo id and pinned revision in the summary and every export', async () => {
    const tiny = await openTiny();
    const base = await tiny.workspace.exportBaseFiles();
    tiny.dispose();
    const hub = { repoId: 'owner/tiny-gpt2', revision: 'v2', commit: 'a'.repeat(40) };
    const s = LmSession.open({
      name: hub.repoId,
      config: base['config.json'],
      weights: base['model.safetensors'],
      tokenizer: tokenizerText,
      hub,
    });
    expect(s.summary().hub).toEqual(hub);
    const modules = new Map(s.summary().modules.map((m) => [m.name, m]));
    s.workspace.restoreAdapter('names', randomAdapter({ modules, modelType: 'gpt2' }, { r: 2 }, 1));
    // A local folder asked for by the page is ignored: PEFT loads this base from the Hub.
    const files = await s.workspace.exportAdapterFiles('names', { baseFolder: 'elsewhere' });
    const config = JSON.parse(files['adapter_config.json']);
    expect(config.base_model_name_or_path).toBe('owner/tiny-gpt2');
    expect(config.revision).toBe('v2');
    expect(files['README.md']).toContain(
      'PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained("owner/tiny-gpt2", revision="v2"), "names")',
    );
    s.dispose();
  });

  it('rejects an adapter for a different model without touching the loaded ones', async () => {
    const s = await openTiny();
    s.setDataset(await loadTask(manifest, 'names', async (f) => read(f)));
    await s.beginRun({ ...settings, totalSteps: 2 });
    await s.step();
    s.endRun();
    const files = await s.workspace.exportAdapterFiles('names', {});
    const bigger = await (async () => {
      const config = tinyGpt2Config({
        vocab_size: manifest.vocabSize,
        n_positions: 16,
        n_embd: 48,
        n_layer: 2,
        n_head: 2,
      });
      const m = Gpt2Model.random(config, 1);
      const saved = await saveGpt2(m);
      m.dispose();
      return LmSession.open({
        name: 'bigger',
        config: saved.configJson,
        weights: saved.safetensors,
        tokenizer: tokenizerText,
      });
    })();
    const map = new Map<string, Uint8Array>([
      ['adapter_model.safetensors', files['adapter_model.safetensors']],
      ['adapter_config.json', new TextEncoder().encode(files['adapter_config.json'])],
    ]);
    expect(() => bigger.workspace.importAdapterFiles('x', map)).toThrow(
      /trained for a different model|does not fit|expects/,
    );
    expect(bigger.workspace.adapters()).toEqual([]);
    bigger.dispose();
    s.dispose();
  });
});
