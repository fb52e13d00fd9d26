import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import type { DataManifest } from '../data/tasks';
import { documentsDataset } from '../data/userText';
import { tinyGpt2Config } from '../gpt2/config';
import { saveGpt2 } from '../gpt2/io';
import { Gpt2Model } from '../gpt2/model';
import { tf } from '../tf';
import { UserFacingError } from '../types';
import { runSettings } from './defaults';
import { LmSession } from './lmSession';

const dataDir = new URL('../../../public/data/', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dataDir), 'utf8');
const manifest = JSON.parse(read('manifest.json')) as DataManifest;

describe('a run that will not fit the backend is refused before it starts (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('names the estimate and the ways out, creates no adapter and leaves no tensor', async () => {
    const m = Gpt2Model.random(tinyGpt2Config({ vocab_size: manifest.vocabSize, n_positions: 64, n_embd: 64 }), 1);
    const saved = await saveGpt2(m);
    m.dispose();
    const s = LmSession.open({
      name: 't',
      config: saved.configJson,
      weights: saved.safetensors,
      tokenizer: read(manifest.tokenizer),
    });
    s.setDataset(
      documentsDataset(['anna', 'bob', 'carl', 'dora', 'emil', 'fritz', 'gus', 'hanna', 'ida', 'jo'], { seed: 1 }),
    );
    const before = tf.memory().numTensors;
    // 200,000 rows × 64 tokens: the activations alone are far over wasm's 4 GiB heap.
    const huge = runSettings({ adapterName: 'big', batch: 200_000, seq: 64, totalSteps: 1 });
    const error = await s.beginRun(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toMatch(
      /^Loading and training this model would take about [\d,]+ MiB .* over the 4096 MiB wasm can hold\. Try a smaller batch or sequence length, or fewer target modules or a lower rank, or another backend\.$/,
    );
    expect(s.workspace.adapters()).toEqual([]);
    expect(s.running).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    const ok = await s.beginRun(runSettings({ adapterName: 'small', batch: 2, seq: 16, totalSteps: 1 }));
    expect(ok.adapterName).toBe('small');
    s.dispose();
  });
});
