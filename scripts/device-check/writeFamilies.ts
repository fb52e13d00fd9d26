/**
 * The Python half's inputs, per family: the base in Hugging Face form (the engine's HF export),
 * each adapter (trained a few steps, PEFT's files), each adapter merged into the base (HF form),
 * and the engine's log-probabilities on fixed ids for base, base + adapter and merged
 * (`expected.safetensors`), described by `manifest.json` for check.py.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportAdapter } from '../../src/engine/peft';
import { writeSafetensors } from '../../src/engine/safetensors';
import { tf } from '../../src/engine/tf';
import type { TensorMap } from '../../src/engine/types';
import type { DeviceCheckFamily } from './families';
import { logProbs } from './logprobs';

/** What check.py reads per family (paths relative to the family folder). */
export interface FamilyManifest {
  id: string;
  description: string;
  hf_class: string;
  fan_in_fan_out: boolean;
  vocab_size: number;
  batch: number;
  seq: number;
  ids: number[][];
  base: string;
  expected: string;
  adapters: { name: string; dir: string; merged: string; steps: number; final_loss: number | null; config: unknown }[];
}

function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
}

/** Write one family into `root/<id>` and return its manifest entry. Uses the current tfjs backend. */
export async function writeFamily(root: string, family: DeviceCheckFamily, log: (s: string) => void) {
  const dir = join(root, family.id);
  rmSync(dir, { recursive: true, force: true });
  const before = tf.memory().numTensors;
  const model = await family.open();
  try {
    const V = model.vocabSize;
    const { batch: B, seq: T, data: ids } = family.ids(V);
    writeFiles(join(dir, 'base'), { ...(await model.hfFiles()), ...family.baseExtras?.() });
    const expected: TensorMap = new Map();
    const put = (key: string, lp: Awaited<ReturnType<typeof logProbs>>) => {
      expected.set(`${key}.next`, lp.next);
      if (lp.full) expected.set(`${key}.full`, lp.full);
    };
    put('base', await logProbs(model, ids, B, T, false));
    const adapters: FamilyManifest['adapters'] = [];
    for (const [i, a] of family.adapters.entries()) {
      await model.adapters.add(a.name, a.lora, 100 + i);
      let finalLoss: number | null = null;
      if (a.steps > 0) {
        const trainer = model.trainer(a.steps, a.lr ?? 1e-2);
        for (let s = 0; s < a.steps; s++) finalLoss = (await trainer.step(family.train(V, s))).loss;
        trainer.dispose();
      }
      const weights = await model.adapters.export(a.name);
      const files = exportAdapter(weights, {
        baseModelName: `${family.id}/base`,
        taskType: 'CAUSAL_LM',
        steps: a.steps,
        ...(finalLoss === null ? {} : { finalLoss }),
      });
      writeFiles(join(dir, 'adapters', a.name), { ...files });
      put(`adapter.${a.name}`, await logProbs(model, ids, B, T, true));
      model.adapters.merge(a.name);
      writeFiles(join(dir, 'merged', a.name), await model.hfFiles());
      put(`merged.${a.name}`, await logProbs(model, ids, B, T, true));
      model.adapters.unmerge(a.name);
      adapters.push({
        name: a.name,
        dir: `adapters/${a.name}`,
        merged: `merged/${a.name}`,
        steps: a.steps,
        final_loss: finalLoss,
        config: JSON.parse(files['adapter_config.json']),
      });
      log(
        `  ${family.id}: adapter ${a.name} (${a.steps} steps${finalLoss === null ? '' : `, loss ${finalLoss.toFixed(4)}`})`,
      );
    }
    writeFileSync(join(dir, 'expected.safetensors'), writeSafetensors(expected, { format: 'np' }));
    const rows = Array.from({ length: B }, (_, b) => Array.from(ids.subarray(b * T, (b + 1) * T)));
    const manifest: FamilyManifest = {
      id: family.id,
      description: family.description,
      hf_class: family.hfClass,
      fan_in_fan_out: model.fanInFanOut,
      vocab_size: V,
      batch: B,
      seq: T,
      ids: rows,
      base: 'base',
      expected: 'expected.safetensors',
      adapters,
    };
    return manifest;
  } finally {
    model.dispose();
    if (tf.memory().numTensors !== before) log(`  warning: ${tf.memory().numTensors - before} tensors left`);
  }
}
