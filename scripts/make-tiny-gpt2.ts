/**
 * Writes a tiny RANDOM GPT-2 checkpoint in Hugging Face form, for tests of "bring your own GPT-2":
 *
 *   npx tsx scripts/make-tiny-gpt2.ts <out-dir> [--layers 2] [--embd 32] [--heads 2] [--positions 32] [--seed 0]
 *
 * Files: config.json, model.safetensors (the engine's saveGpt2: F32, HF names, {"format": "pt"}),
 * tokenizer.json (the shipped character tokenizer, public/data/tokenizer.json: its vocabulary
 * sets vocab_size) and tokenizer_config.json. Random weights, so it knows nothing: it is for
 * proving that loading and training a user's checkpoint works, not for samples worth reading.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../src/engine/backend';
import { tinyGpt2Config } from '../src/engine/gpt2/config';
import { saveGpt2 } from '../src/engine/gpt2/io';
import { Gpt2Model } from '../src/engine/gpt2/model';
import { charTokenizerFromJson } from '../src/engine/tokenizer/tokenizerJson';

const TOKENIZER = 'public/data/tokenizer.json';

function intArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0)
    throw new Error(`--${name} must be a positive whole number, got ${JSON.stringify(process.argv[i + 1])}`);
  return v;
}

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out || out.startsWith('--'))
    throw new Error(
      'usage: tsx scripts/make-tiny-gpt2.ts <out-dir> [--layers N] [--embd C] [--heads H] [--positions T] [--seed S]',
    );
  await selectBackend({ force: 'wasm' });
  const tokenizer = charTokenizerFromJson(readFileSync(TOKENIZER, 'utf8'));
  const config = tinyGpt2Config({
    vocab_size: tokenizer.vocabSize,
    n_layer: intArg('layers', 2),
    n_embd: intArg('embd', 32),
    n_head: intArg('heads', 2),
    n_positions: intArg('positions', 32),
  });
  config.n_inner = 4 * config.n_embd;
  const model = Gpt2Model.random(config, intArg('seed', 0));
  const { safetensors, configJson } = await saveGpt2(model);
  model.dispose();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'config.json'), configJson);
  writeFileSync(join(out, 'model.safetensors'), safetensors);
  copyFileSync(TOKENIZER, join(out, 'tokenizer.json'));
  writeFileSync(
    join(out, 'tokenizer_config.json'),
    `${JSON.stringify({ model_max_length: config.n_positions, tokenizer_class: 'PreTrainedTokenizerFast' }, null, 2)}\n`,
  );
  console.log(
    `wrote ${out}: ${config.n_layer} layers, n_embd ${config.n_embd}, vocab ${config.vocab_size}, ${safetensors.byteLength} bytes of weights`,
  );
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
