/**
 * Pretrains the 2-D lab's base classifier (2 → 32 → 32 → 2, tanh) on two moons and writes
 * public/models/mlp2d/{config.json, model.safetensors, metrics.json}. Seeded: the same seed gives
 * byte-identical files on the wasm backend used here (checked: two runs, same md5).
 *
 *   npx tsx scripts/pretrain-2d.ts [--out public/models/mlp2d] [--seed 2024] [--steps 1500]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../src/engine/backend';
import { configFile, encodeWeights } from '../src/engine/lab2d/baseFile';
import { PRETRAIN_DEFAULTS, pretrainBase } from '../src/engine/lab2d/pretrain';
import { BASE_DATASET } from '../src/engine/lab2d/spec';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const out = arg('out', 'public/models/mlp2d');
const seed = Number(arg('seed', String(PRETRAIN_DEFAULTS.seed)));
const steps = Number(arg('steps', String(PRETRAIN_DEFAULTS.steps)));
if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number ≥ 0, got ${arg('seed', '')}.`);
if (!Number.isInteger(steps) || steps < 1)
  throw new Error(`--steps must be a whole number ≥ 1, got ${arg('steps', '')}.`);

const backend = await selectBackend({ force: 'wasm' });
const started = performance.now();
const result = await pretrainBase({ seed, steps }, (step, loss) => {
  if (step % 250 === 0) console.log(`step ${step}: loss ${loss.toFixed(4)}`);
});
const seconds = (performance.now() - started) / 1000;
const weights = await result.model.exportWeights();
const params = result.model.baseParamCount();
result.model.dispose();

const metrics = {
  base_dataset: { ...BASE_DATASET, noise: 0.1 },
  seed,
  steps,
  learning_rate: result.options.learningRate,
  optimizer: `AdamW (full batch, constant rate, weight decay ${result.options.weightDecay}, gradient norm clipped at 1)`,
  n_train: result.options.nTrain,
  n_validation: result.options.nValidation,
  parameters: params,
  train_loss_first: round(result.firstLoss),
  train_loss_final: round(result.finalLoss),
  validation_loss: round(result.validationLoss),
  train_accuracy: round(result.trainAccuracy),
  validation_accuracy: round(result.validationAccuracy),
  backend: backend.name,
  command: `npx tsx scripts/pretrain-2d.ts --seed ${seed} --steps ${steps}`,
};

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'config.json'), `${JSON.stringify(configFile(result.options.config), null, 2)}\n`);
writeFileSync(join(out, 'model.safetensors'), encodeWeights(weights));
writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
console.log(
  `wrote ${out}: ${params} parameters, train accuracy ${metrics.train_accuracy}, validation accuracy ${metrics.validation_accuracy}, ` +
    `validation loss ${metrics.validation_loss} (${seconds.toFixed(1)} s on ${backend.name})`,
);

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
