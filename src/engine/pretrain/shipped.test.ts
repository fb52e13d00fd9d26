import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { parseDocuments, TASKS } from '../data/tasks';
import { parseGpt2Config } from '../gpt2/config';
import { generate } from '../gpt2/generate';
import { loadGpt2 } from '../gpt2/io';
import type { Gpt2Model } from '../gpt2/model';
import { charTokenizerFromJson } from '../tokenizer/tokenizerJson';
import { encodePrompt } from '../tokenizer/types';
import { pretrainCorpus } from './corpus';
import { heldOutBatches, heldOutLoss } from './pretrain';
import type { ModelProvenance } from './shipped';

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('../../../package.json'));
const modelDir = join(root, 'public', 'models', 'tiny');
const dataDir = join(root, 'public', 'data');
const text = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');

describe('the shipped base model (public/models/tiny)', () => {
  const configJson = JSON.parse(text(modelDir, 'config.json'));
  const record = JSON.parse(text(modelDir, 'lowrank-model.json')) as ModelProvenance;
  const tokenizer = charTokenizerFromJson(text(modelDir, 'tokenizer.json'));
  let model: Gpt2Model;

  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
    // A plain Uint8Array copy: Node's Buffer.slice shares memory, which the safetensors reader's
    // slice().buffer assumes it does not.
    model = loadGpt2(new Uint8Array(readFileSync(join(modelDir, 'model.safetensors'))), configJson);
    return () => model.dispose();
  });

  it('has an HF GPT-2 config with the char vocabulary, tied head and BOS = EOS = <|endoftext|> = 0', () => {
    expect(configJson).toMatchObject({
      model_type: 'gpt2',
      architectures: ['GPT2LMHeadModel'],
      tie_word_embeddings: true,
      bos_token_id: 0,
      eos_token_id: 0,
      activation_function: 'gelu_new',
      vocab_size: tokenizer.vocabSize,
    });
    expect(text(modelDir, 'tokenizer.json')).toBe(text(dataDir, 'tokenizer.json'));
    expect(tokenizer.vocabSize).toBe(97);
    expect(tokenizer.endOfTextId).toBe(0);
    const c = parseGpt2Config(configJson);
    expect([c.n_layer, c.n_embd, c.n_head, c.n_positions]).toEqual([
      record.settings.n_layer,
      record.settings.n_embd,
      record.settings.n_head,
      record.settings.n_positions,
    ]);
    expect(model.baseParamCount()).toBe(record.parameters);
    expect(statSync(join(modelDir, 'model.safetensors')).size).toBeLessThan(5 * 1024 * 1024);
  });

  it('recomputes the recorded held-out loss on the fixed validation subset (within 0.05 nats)', async () => {
    const words = { train: [], validation: parseDocuments(text(dataDir, 'words.validation.txt')) };
    const validation = pretrainCorpus(words, record.corpus.seed).validation;
    expect(validation).toHaveLength(record.corpus.validationDocuments);
    const batches = heldOutBatches({ tokenizer, train: [], validation }, record.settings, record.heldOut.subsetBatches);
    const { loss } = await heldOutLoss(model, batches);
    expect(Math.abs(loss - record.heldOut.subsetLoss)).toBeLessThan(0.05);
    expect(record.heldOut.bitsPerChar).toBeCloseTo(record.heldOut.loss / Math.LN2, 6);
  });

  it('writes dictionary-looking words: ≥ 80 % of sampled characters are lower-case letters', async () => {
    const outputs: string[] = [];
    const sample = async (prompt: string, temperature: number, seed: number) => {
      const ids = await generate(model, encodePrompt(tokenizer, prompt), {
        maxNewTokens: 20,
        temperature,
        seed,
        stopToken: 0,
      });
      outputs.push(tokenizer.decode(ids, { skipSpecialTokens: true }));
    };
    await sample('', 0, 0); // greedy from BOS
    for (const p of TASKS.words.samplePrompts.filter((q) => q)) await sample(p, 0, 0);
    for (let seed = 1; seed <= 8; seed++) await sample('', 0.8, seed);
    const chars = outputs.join('');
    const lower = [...chars].filter((ch) => ch >= 'a' && ch <= 'z').length;
    expect(chars.length).toBeGreaterThan(20);
    expect(lower / chars.length, JSON.stringify(outputs)).toBeGreaterThanOrEqual(0.8);
  }, 20_000);
});
