import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import type { DataManifest } from '../data/tasks';
import { tinyGpt2Config } from '../gpt2/config';
import { saveGpt2 } from '../gpt2/io';
import { Gpt2Model } from '../gpt2/model';
import { adapterMaxAbsDiff, allFinite, HostAdapters } from './hostCopy';
import { LmSession } from './lmSession';
import type { BaseFiles } from './types';

const dataDir = new URL('../../../public/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as DataManifest;

async function files(): Promise<BaseFiles> {
  const m = Gpt2Model.random(
    tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 8, n_embd: 16, n_layer: 1, n_head: 2 }),
    4,
  );
  const saved = await saveGpt2(m);
  m.dispose();
  return { name: 'tiny', config: saved.configJson, weights: saved.safetensors, tokenizer: read(manifest.tokenizer) };
}

/** An adapter with non-zero B, so that merging it changes outputs. */
async function randomAdapter(s: LmSession, name: string, seed: number) {
  const w = await (async () => {
    const tmp = Gpt2Model.random(
      tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 8, n_embd: 16, n_layer: 1, n_head: 2 }),
      4,
    );
    await tmp.adapters.add(
      name,
      { r: 2, lora_alpha: 4, target_modules: ['c_attn', 'c_fc'], init_lora_weights: false },
      seed,
    );
    const out = await tmp.adapters.export(name);
    tmp.dispose();
    return out;
  })();
  return s.workspace.restoreAdapter(name, w);
}

describe('HostAdapters (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('restores every adapter into a fresh session with the same active and merged state', async () => {
    const f = await files();
    const a = LmSession.open(f);
    await randomAdapter(a, 'one', 1);
    await randomAdapter(a, 'two', 2);
    a.workspace.activate('one');
    a.workspace.merge('two');
    const host = new HostAdapters();
    await host.refresh(a.workspace);
    const ids = new Int32Array([1, 2, 3, 4, 5, 6]);
    const score = async (s: LmSession) => (await s.score(String.fromCharCode(...ids.map((i) => 48 + i)), true)).nll;
    const want = await score(a);
    const stateA = a.workspace.adapters();
    const b = LmSession.open(f);
    expect(host.restoreInto(b.workspace)).toEqual(['one', 'two']);
    expect(b.workspace.adapters()).toEqual(stateA);
    expect(await score(b)).toBeCloseTo(want, 5);
    for (const n of ['one', 'two'])
      expect(adapterMaxAbsDiff(await b.workspace.adapterWeights(n), await a.workspace.adapterWeights(n))).toBe(0);
    // skip: the adapter a resumed run brings back itself
    const c = LmSession.open(f);
    expect(host.restoreInto(c.workspace, 'one')).toEqual(['two']);
    expect(c.workspace.adapters().find((x) => x.name === 'two')?.merged).toBe(true);
    // a deleted adapter leaves the copies at the next refresh
    a.workspace.deleteAdapter('two');
    await host.refresh(a.workspace);
    expect(host.names()).toEqual(['one']);
    for (const s of [a, b, c]) s.dispose();
  });

  it('allFinite and adapterMaxAbsDiff', async () => {
    const s = LmSession.open(await files());
    await randomAdapter(s, 'one', 1);
    const w = await s.workspace.adapterWeights('one');
    expect(allFinite(w)).toBe(true);
    expect(adapterMaxAbsDiff(w, w)).toBe(0);
    const bad = structuredClone(w);
    const first = [...bad.modules.values()][0];
    first.B.data[0] += 0.25;
    expect(adapterMaxAbsDiff(w, bad)).toBeCloseTo(0.25, 6);
    first.A.data[1] = NaN;
    expect(allFinite(bad)).toBe(false);
    expect(allFinite(new Map([['x', { data: new Float32Array([1, Infinity]) }]]))).toBe(false);
    s.dispose();
  });
});
