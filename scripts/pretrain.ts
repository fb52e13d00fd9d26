/**
 * Pretrains the tiny character-level GPT-2 shipped in public/models/tiny/ (Node, tfjs wasm).
 *
 *   npm run pretrain                         # the shipped model: 1800 steps, seed 42 (~25 min here)
 *   npm run pretrain -- --steps 500 --seed 7 --out /tmp/tiny
 *   npm run pretrain -- --quick --out /tmp/q # a toy model in seconds (determinism check)
 *   npm run pretrain -- --measure            # ms/step of the candidate sizes, then exit
 *
 * Writes config.json, model.safetensors, tokenizer.json and lowrank-model.json (provenance) to --out.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../src/engine/backend';
import { parseDocuments } from '../src/engine/data/tasks';
import { charTokenizerFromJson } from '../src/engine/tokenizer/tokenizerJson';
import { AUGMENT_DEFAULTS, CORPUS_SEED, corpusStats, pretrainCorpus } from '../src/engine/pretrain/corpus';
import {
  measureStepTime,
  PRETRAIN_DEFAULTS,
  pretrain,
  QUICK_SETTINGS,
  type PretrainData,
  type PretrainSettings,
} from '../src/engine/pretrain/pretrain';
import { provenance, shippedConfigJson } from '../src/engine/pretrain/shipped';
import { tf } from '../src/engine/tf';

const DATA_DIR = 'public/data';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
function intArg(name: string): number | undefined {
  const v = arg(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be a whole number, got ${JSON.stringify(v)}.`);
  return n;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

function loadData(): PretrainData {
  const read = (f: string) => readFileSync(join(DATA_DIR, f), 'utf8');
  const tokenizer = charTokenizerFromJson(read('tokenizer.json'));
  const corpus = pretrainCorpus({
    train: parseDocuments(read('words.train.txt')),
    validation: parseDocuments(read('words.validation.txt')),
  });
  return { tokenizer, ...corpus };
}

/** Candidate sizes compared by --measure (batch 32 unless noted). */
const CANDIDATES: { label: string; s: Partial<PretrainSettings> }[] = [
  {
    label: '4 layers, C 128, 4 heads, T 32, B 32',
    s: { n_layer: 4, n_embd: 128, n_head: 4, n_positions: 32, batch: 32 },
  },
  {
    label: '4 layers, C 128, 4 heads, T 64, B 32',
    s: { n_layer: 4, n_embd: 128, n_head: 4, n_positions: 64, batch: 32 },
  },
  {
    label: '3 layers, C 96, 4 heads, T 32, B 32',
    s: { n_layer: 3, n_embd: 96, n_head: 4, n_positions: 32, batch: 32 },
  },
];

async function main(): Promise<void> {
  const backend = await selectBackend({ force: 'wasm' });
  const data = loadData();
  const stats = corpusStats(data.train);
  console.log(
    `backend ${backend.name}; corpus ${stats.documents} train documents (${stats.lower} lower, ${stats.title} Title, ${stats.upper} UPPER, ${stats.other} other), ${data.validation.length} held out`,
  );
  console.log(`alphabet ${JSON.stringify(stats.alphabet)}`);

  if (flag('measure')) {
    for (const c of CANDIDATES) {
      const r = await measureStepTime(data, { ...PRETRAIN_DEFAULTS, ...c.s }, 20, 3);
      const tokens = (c.s.batch ?? 32) * (c.s.n_positions ?? 32);
      console.log(
        `${c.label.padEnd(40)} ${String(r.params).padStart(9)} params  median ${r.medianMs.toFixed(0)} ms/step  mean ${r.meanMs.toFixed(0)} ms/step  ${((tokens * 1000) / r.medianMs).toFixed(0)} tokens/s`,
      );
    }
    return;
  }

  const quick = flag('quick');
  const settings: PretrainSettings = { ...PRETRAIN_DEFAULTS, ...(quick ? QUICK_SETTINGS : {}) };
  settings.steps = intArg('steps') ?? settings.steps;
  settings.seed = intArg('seed') ?? settings.seed;
  settings.evalEvery = intArg('eval-every') ?? settings.evalEvery;
  const out = arg('out') ?? (quick ? '/tmp/lowrank-pretrain-quick' : 'public/models/tiny');
  console.log(`settings ${JSON.stringify(settings)} → ${out}`);

  const result = await pretrain(data, settings, (p) => {
    const every = quick ? 1 : 50;
    if (p.step % every === 0 || p.heldOut !== undefined) {
      const eta = ((settings.steps - p.step) * p.elapsedMs) / p.step / 60000;
      const held = p.heldOut !== undefined ? `  held-out ${p.heldOut.toFixed(4)}` : '';
      console.log(
        `step ${String(p.step).padStart(5)}/${settings.steps}  loss ${p.loss.toFixed(4)}${held}  lr ${p.lr.toExponential(2)}  |g| ${p.gradNorm.toFixed(2)}  ${p.msPerStep.toFixed(0)} ms/step  ${(p.elapsedMs / 60000).toFixed(1)} min, ETA ${eta.toFixed(1)} min`,
      );
    }
  });

  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'model.safetensors'), result.safetensors);
  writeFileSync(join(out, 'config.json'), shippedConfigJson(result.config));
  copyFileSync(join(DATA_DIR, 'tokenizer.json'), join(out, 'tokenizer.json'));
  const record = provenance(result, {
    backend: tf.getBackend(),
    date: new Date().toISOString(),
    corpus: {
      source: `${DATA_DIR}/words.train.txt (CMUdict headwords, BSD-2-Clause; see docs/DATA.md), augmented by src/engine/pretrain/corpus.ts`,
      seed: CORPUS_SEED,
      augmentation: AUGMENT_DEFAULTS,
      train: stats,
      validationDocuments: data.validation.length,
    },
  });
  writeFileSync(join(out, 'lowrank-model.json'), `${JSON.stringify(record, null, 2)}\n`);
  console.log(
    `done in ${(result.wallMs / 60000).toFixed(1)} min: train ${result.finalTrainLoss.toFixed(4)}, held-out ${result.heldOutLoss.toFixed(4)} nats/token ` +
      `(${record.heldOut.bitsPerChar.toFixed(3)} bits/char) over ${result.heldOutTokens} tokens; wrote ${out}`,
  );
  if (quick) console.log(`loss-sequence ${JSON.stringify(result.trainLosses.map((l) => Number(l.toFixed(6))))}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
