/**
 * The streaming loader end to end on the current backend (run in the browser by the engine
 * self-test): a tiny Llama-family checkpoint in HF layout is written as BF16 shards with an index,
 * read back through Blob sources, LoRA-trained for two steps, merged, exported as HF files and
 * read back again; the outputs must match at every stage.
 */
import { llamaConfigJson, tinyLlamaConfig } from '../llama/config';
import { initLlamaWeights } from '../llama/params';
import { modelSpec } from '../models/registry';
import { LmTrainer } from '../train/lmTrainer';
import type { TensorMap } from '../types';
import { blobSource } from './byteSource';
import { decodeTensor } from './decode';
import { checkpointFromFolder, loadCheckpoint, openCheckpoint } from './open';
import { encodeTensor, shardedCheckpoint } from './write';

export interface CheckpointSelfCheck {
  ok: boolean;
  shards: number;
  /** max |logit − logit of the same weights loaded in memory| after the sharded BF16 load. */
  loadErr: number;
  /** max |logit − logit before export| after training, merging, exporting and reloading. */
  roundTripErr: number;
}

const blob = (bytes: Uint8Array | string, name: string) =>
  blobSource(new Blob([typeof bytes === 'string' ? bytes : (bytes as Uint8Array<ArrayBuffer>)]), name);

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

export async function runCheckpointSelfCheck(): Promise<CheckpointSelfCheck> {
  const c = tinyLlamaConfig({ model_type: 'qwen2', qkv_bias: true, tie_word_embeddings: true, num_hidden_layers: 3 });
  const config = JSON.stringify(llamaConfigJson(c));
  const weights = initLlamaWeights(c, 4, { std: 0.2, randomBiases: true });
  const { shards, index } = shardedCheckpoint(weights, 'BF16', 3000);
  const files = [
    blob(config, 'config.json'),
    blob(index, 'model.safetensors.index.json'),
    ...[...shards].map(([n, b]) => blob(b, n)),
  ];
  const rounded: TensorMap = new Map(
    [...weights].map(([n, t]) => [
      n,
      { shape: t.shape, data: decodeTensor(encodeTensor(t.data, 'BF16'), 'BF16', t.data.length) },
    ]),
  );
  const ids = Int32Array.from([1, 5, 2, 7, 3, 8]);
  const spec = modelSpec(config);
  const model = await loadCheckpoint(await openCheckpoint(await checkpointFromFolder(files)));
  const ref = spec.fromWeights(rounded);
  let reloaded = null;
  try {
    const loadErr = maxDiff((await model.logits(ids, 1, 6)).data, (await ref.logits(ids, 1, 6)).data);
    await model.adapters.add('a', { r: 2, target_modules: [...spec.defaultTargets] }, 1);
    const trainer = new LmTrainer(model, { mode: 'lora', learningRate: 5e-2, totalSteps: 2 });
    const batch = { input: ids, target: Int32Array.from([5, 2, 7, 3, 8, 1]), batch: 1, seq: 6 };
    for (let i = 0; i < 2; i++) await trainer.step(batch);
    trainer.dispose();
    const tuned = (await model.logits(ids, 1, 6)).data;
    model.adapters.merge('a');
    const out = spec.hfFiles(await model.exportWeights());
    reloaded = await loadCheckpoint(
      await openCheckpoint(
        await checkpointFromFolder([
          blob(out['config.json'], 'config.json'),
          blob(out['model.safetensors'], 'model.safetensors'),
        ]),
      ),
    );
    const roundTripErr = maxDiff((await reloaded.logits(ids, 1, 6)).data, tuned);
    return { ok: loadErr < 1e-5 && roundTripErr < 1e-4, shards: shards.size, loadErr, roundTripErr };
  } finally {
    model.dispose();
    ref.dispose();
    reloaded?.dispose();
  }
}
