/**
 * The model families the device check proves against transformers + PEFT, as data: one entry per
 * checkpoint to write. A family brings a way to open its base in the engine (`open`) and the
 * adapters to export; everything else (training a few steps, merging, log-probabilities, the
 * files) is shared. A new family (e.g. Llama) is one more entry whose `open` returns a CheckModel.
 */
import { readFileSync } from 'node:fs';
import { gpt2ConfigJson, parseGpt2Config } from '../../src/engine/gpt2/config';
import { loadGpt2 } from '../../src/engine/gpt2/io';
import { Gpt2Model } from '../../src/engine/gpt2/model';
import type { AdapterSet } from '../../src/engine/lora/adapterSet';
import type { LoraConfig } from '../../src/engine/lora/types';
import { exportHfModelFiles } from '../../src/engine/peft';
import { charTokenizerFromJson } from '../../src/engine/tokenizer/tokenizerJson';
import { Gpt2Trainer } from '../../src/engine/train/gpt2Trainer';
import type { TokenBatch } from '../../src/engine/types';
import { Rng } from '../../src/engine/rng';

/** What the shared code needs from an engine model of any family. */
export interface CheckModel {
  vocabSize: number;
  adapters: AdapterSet;
  /** Logits for ids [B·T] → [B, T, V] as plain data. */
  logits(ids: Int32Array, B: number, T: number, opts: { useAdapter: boolean }): Promise<Float32Array>;
  /** The Hugging Face files of the current weights (merged adapters included). */
  hfFiles(): Promise<Record<string, string | Uint8Array>>;
  /** A LoRA trainer on the active adapter. */
  trainer(
    steps: number,
    lr: number,
  ): {
    step(b: TokenBatch): Promise<{ loss: number }>;
    dispose(): void;
  };
  /** Fan-in-fan-out of the base layers, for the table (GPT-2's Conv1D: true). */
  fanInFanOut: boolean;
  dispose(): void;
}

export interface CheckAdapter {
  name: string;
  lora: Partial<LoraConfig>;
  /** LoRA steps on `train` before export (0: the init itself, e.g. init_lora_weights false). */
  steps: number;
  lr?: number;
}

export interface DeviceCheckFamily {
  /** Folder name in the bundle. */
  id: string;
  /** What it is, for the tables. */
  description: string;
  /** The transformers class check.py expects AutoModelForCausalLM to build. */
  hfClass: string;
  /** The `model_type` PEFT's adapter_config names and importAdapter checks. */
  modelType: string;
  open(): Promise<CheckModel>;
  /** The same family from its Hugging Face files (what the bundle carries). */
  openHf(configJson: string, safetensors: Uint8Array): CheckModel;
  /** Fixed token ids the log-probabilities are computed on: [batch, seq]. */
  ids(vocabSize: number): { batch: number; seq: number; data: Int32Array };
  /** Training batches for adapters with steps > 0 (fixed shape). */
  train(vocabSize: number, step: number): TokenBatch;
  adapters: CheckAdapter[];
}

function gpt2CheckModel(model: Gpt2Model): CheckModel {
  return {
    vocabSize: model.config.vocab_size,
    adapters: model.adapters,
    fanInFanOut: true,
    logits: async (ids, B, T, opts) => (await model.logits(ids, B, T, opts)).data,
    hfFiles: async () => ({ ...exportHfModelFiles(gpt2ConfigJson(model.config), await model.exportWeights()) }),
    trainer: (steps, lr) =>
      new Gpt2Trainer(model, { mode: 'lora', learningRate: lr, totalSteps: steps, warmupSteps: 1 }),
    dispose: () => model.dispose(),
  };
}

/** Ids from text through the shipped character tokenizer, cut into [batch, seq]. */
function shippedTextIds(file: string, batch: number, seq: number, offset: number): Int32Array {
  const tok = charTokenizerFromJson(readFileSync('public/models/tiny/tokenizer.json', 'utf8'));
  const text = readFileSync(file, 'utf8').split('\n').join(' ');
  const ids = tok.encode(text);
  const out = new Int32Array(batch * seq);
  for (let i = 0; i < out.length; i++) out[i] = ids[(offset + i) % ids.length];
  return out;
}

function randomIds(rng: Rng, V: number, n: number): Int32Array {
  return Int32Array.from({ length: n }, () => rng.int(V));
}

const shifted = (ids: Int32Array, batch: number, seq: number): TokenBatch => {
  // Next-token targets inside each row (the last position predicts the row's first id: fine for a check).
  const target = new Int32Array(ids.length);
  for (let b = 0; b < batch; b++) for (let t = 0; t < seq; t++) target[b * seq + t] = ids[b * seq + ((t + 1) % seq)];
  return { input: ids, target, batch, seq };
};

export const FAMILIES: DeviceCheckFamily[] = [
  {
    id: 'gpt2-shipped',
    description: 'the shipped tiny GPT-2 (3 layers, n_embd 96, 97 tokens; pretrained)',
    hfClass: 'GPT2LMHeadModel',
    modelType: 'gpt2',
    openHf: (config, weights) => gpt2CheckModel(loadGpt2(weights, config)),
    open: async () =>
      gpt2CheckModel(
        loadGpt2(
          new Uint8Array(readFileSync('public/models/tiny/model.safetensors')),
          readFileSync('public/models/tiny/config.json', 'utf8'),
        ),
      ),
    ids: () => ({ batch: 2, seq: 24, data: shippedTextIds('public/data/names.validation.txt', 2, 24, 0) }),
    train: (_V, step) => shifted(shippedTextIds('public/data/names.train.txt', 8, 24, step * 192), 8, 24),
    adapters: [
      {
        name: 'trained',
        lora: { r: 8, lora_alpha: 16, target_modules: ['c_attn', 'c_proj', 'c_fc'] },
        steps: 20,
        lr: 1e-2,
      },
      {
        name: 'patterns',
        lora: {
          r: 4,
          lora_alpha: 6,
          use_rslora: true,
          target_modules: 'all-linear',
          rank_pattern: { c_fc: 2 },
          alpha_pattern: { 'attn.c_proj': 3 },
          init_lora_weights: false,
        },
        steps: 0,
      },
    ],
  },
  {
    id: 'gpt2-random',
    description: 'a random GPT-2 with non-default fields (n_inner 3·C, ε 1e-6, 211 tokens, 4 heads)',
    hfClass: 'GPT2LMHeadModel',
    modelType: 'gpt2',
    openHf: (config, weights) => gpt2CheckModel(loadGpt2(weights, config)),
    open: async () =>
      gpt2CheckModel(
        Gpt2Model.random(
          parseGpt2Config({
            model_type: 'gpt2',
            vocab_size: 211,
            n_positions: 40,
            n_embd: 48,
            n_layer: 2,
            n_head: 4,
            n_inner: 144,
            layer_norm_epsilon: 1e-6,
            activation_function: 'gelu_new',
          }),
          5,
        ),
      ),
    ids: (V) => ({ batch: 2, seq: 32, data: randomIds(new Rng(11), V, 64) }),
    train: (V, step) => shifted(randomIds(new Rng(100 + step), V, 4 * 32), 4, 32),
    adapters: [
      { name: 'trained', lora: { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'mlp.c_proj'] }, steps: 10, lr: 2e-2 },
    ],
  },
];
