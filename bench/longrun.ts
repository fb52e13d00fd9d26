/**
 * The long run (issue 7): 10,000 LoRA steps of the shipped tiny model (public/models/tiny, else a
 * random model of the shipped shape) on wasm in Node, through the same LmSession the Worker uses.
 * tf.memory() is recorded every 500 steps; from step 500 on, tensor count and bytes must not move
 * (exit code 1 otherwise). Not part of the test suite: `npx tsx bench/longrun.ts`.
 *
 * Flags: --steps N (10000) --every N (500) --batch N (4) --seq N (16) --r N (8) --task ID (names)
 */
import { existsSync, readFileSync } from 'node:fs';
import { selectBackend } from '../src/engine/backend';
import { loadTask, type DataManifest, type ShippedTaskId } from '../src/engine/data/tasks';
import { tinyGpt2Config } from '../src/engine/gpt2/config';
import { saveGpt2 } from '../src/engine/gpt2/io';
import { Gpt2Model } from '../src/engine/gpt2/model';
import { PRETRAIN_DEFAULTS } from '../src/engine/pretrain/pretrain';
import { LmSession } from '../src/engine/session/lmSession';
import type { BaseFiles, RunSettings } from '../src/engine/session/types';
import { tf } from '../src/engine/tf';

const args = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const STEPS = Number(value('steps', '10000'));
const EVERY = Number(value('every', '500'));
const BATCH = Number(value('batch', '4'));
const SEQ = Number(value('seq', '16'));
const RANK = Number(value('r', '8'));
const TASK = value('task', 'names') as ShippedTaskId;

const read = (p: string) => readFileSync(p, 'utf8');
const manifest = JSON.parse(read('public/data/manifest.json')) as DataManifest;

async function baseFiles(): Promise<{ files: BaseFiles; label: string }> {
  const dir = 'public/models/tiny';
  if (['config.json', 'model.safetensors', 'tokenizer.json'].every((f) => existsSync(`${dir}/${f}`))) {
    const files = {
      name: 'lowrank-tiny',
      config: read(`${dir}/config.json`),
      weights: new Uint8Array(readFileSync(`${dir}/model.safetensors`)),
      tokenizer: read(`${dir}/tokenizer.json`),
    };
    return { files, label: 'the shipped tiny model' };
  }
  const d = PRETRAIN_DEFAULTS;
  const config = tinyGpt2Config({
    vocab_size: manifest.vocabSize,
    n_layer: d.n_layer,
    n_embd: d.n_embd,
    n_head: d.n_head,
    n_positions: d.n_positions,
  });
  const m = Gpt2Model.random(config, d.seed);
  const saved = await saveGpt2(m);
  m.dispose();
  const files = {
    name: 'tiny-random',
    config: saved.configJson,
    weights: saved.safetensors,
    tokenizer: read(`public/data/${manifest.tokenizer}`),
  };
  return { files, label: `a random model of the shipped shape (no public/models/tiny yet)` };
}

async function main(): Promise<number> {
  const backend = await selectBackend({ force: 'wasm' });
  if (backend.name !== 'wasm') throw new Error(`wasm unavailable: ${backend.skipped.map((s) => s.reason).join('; ')}`);
  const { files, label } = await baseFiles();
  const session = LmSession.open(files);
  const c = session.summary().dims;
  session.setDataset(await loadTask(manifest, TASK, async (f) => read(`public/data/${f}`)));
  const settings: RunSettings = {
    mode: 'lora',
    adapterName: 'longrun',
    lora: { r: RANK, lora_alpha: 2 * RANK, target_modules: ['c_attn'] },
    learningRate: 2e-3,
    totalSteps: STEPS,
    warmupSteps: 100,
    batch: BATCH,
    seq: SEQ,
    seed: 1,
    evalBatches: 8,
  };
  console.log(
    `long run: ${label} (${c.layers} layers, width ${c.hidden}, ${c.heads} heads, vocab ${c.vocabSize}) on ${backend.name} in Node ${process.version}; ` +
      `LoRA r ${RANK}, α ${2 * RANK}, targets ${(settings.lora.target_modules as string[]).join(', ')}, lr ${settings.learningRate} (warm-up ${settings.warmupSteps}, cosine), ` +
      `batch ${BATCH} × seq ${SEQ}, task "${TASK}", ${STEPS} steps, memory every ${EVERY}`,
  );
  const t0 = performance.now();
  const info = await session.beginRun(settings);
  const before = await session.evaluate(true);
  const records: { step: number; numTensors: number; numBytes: number; loss: number }[] = [];
  let firstMs = 0;
  let sumMs = 0;
  let lastLoss = NaN;
  while (session.stepsDone < STEPS) {
    const s = await session.step();
    if (s.stopped) throw new Error(`the run diverged: ${s.stopped}`);
    if (s.step === 1) firstMs = s.msPerStep;
    else sumMs += s.msPerStep;
    lastLoss = s.loss;
    if (s.step % EVERY === 0 || s.step === STEPS) {
      const m = tf.memory();
      records.push({ step: s.step, numTensors: m.numTensors, numBytes: m.numBytes, loss: s.loss });
      console.log(
        `step ${String(s.step).padStart(5)}  loss ${s.loss.toFixed(4)}  tensors ${m.numTensors}  bytes ${m.numBytes}  ${((performance.now() - t0) / 1000).toFixed(0)} s`,
      );
    }
  }
  const after = await session.evaluate(true);
  session.endRun();
  const wallS = (performance.now() - t0) / 1000;
  const ref = records[0];
  const drift = records.filter((r) => r.numTensors !== ref.numTensors || r.numBytes !== ref.numBytes);
  const msPerStep = STEPS > 1 ? sumMs / (STEPS - 1) : firstMs;
  const flat = drift.length === 0;
  console.log(
    `\nSummary: ${STEPS} LoRA steps (${info.trainable.trainable} trainable of ${info.trainable.all} parameters) of ${label} on wasm in Node, batch ${BATCH} × seq ${SEQ}, ` +
      `took ${wallS.toFixed(0)} s wall: ${msPerStep.toFixed(2)} ms/step after a ${firstMs.toFixed(0)} ms first step ` +
      `(${((BATCH * SEQ * 1000) / msPerStep).toFixed(0)} tokens/s). tf.memory() at steps ${ref.step}–${records[records.length - 1].step} (${records.length} samples): ` +
      (flat
        ? `${ref.numTensors} tensors and ${ref.numBytes} bytes at every sample: no drift.`
        : `DRIFT: ${ref.numTensors} tensors / ${ref.numBytes} bytes at step ${ref.step}, then ${drift.map((r) => `${r.numTensors}/${r.numBytes} at ${r.step}`).join(', ')}.`) +
      ` Validation loss ${before.toFixed(3)} → ${after.toFixed(3)} nats/token (last training loss ${lastLoss.toFixed(3)}).`,
  );
  session.dispose();
  return flat ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.stack : String(e));
    process.exit(1);
  },
);
