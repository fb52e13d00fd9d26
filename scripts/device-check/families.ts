/**
 * The model families the device check proves against transformers + PEFT, as data: one entry per
 * checkpoint to write. A family brings a way to open its base in the engine (`open`) and the
 * adapters to export; everything else (training a few steps, merging, log-probabilities, the
 * files) is shared, and goes through the model registry, so every family the engine knows (GPT-2,
 * Llama, Qwen2) is one more entry here.
 */
import { readFileSync } from 'node:fs';
import { parseGpt2Config } from '../../src/engine/gpt2/config';
import { Gpt2Model } from '../../src/engine/gpt2/model';
import { llamaConfigJson, parseLlamaConfig, type LlamaConfig } from '../../src/engine/llama/config';
import { LlamaModel } from '../../src/engine/llama/model';
import type { AdapterSet } from '../../src/engine/lora/adapterSet';
import type { LoraConfig } from '../../src/engine/lora/types';
import type { CausalLm } from '../../src/engine/models/causalLm';
import { modelSpec } from '../../src/engine/models/registry';
import { readSafetensors } from '../../src/engine/safetensors';
import { tinyByteLevelBpe } from '../../src/engine/tokenizer/tinyBpe';
import { charTokenizerFromJson } from '../../src/engine/tokenizer/tokenizerJson';
import { LmTrainer } from '../../src/engine/train/lmTrainer';
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
  /**
   * Files written beside the base's HF files (a tokenizer, so that run.sh's `cli train --backend
   * webgpu --base` can train this family on the GPU; transformers' model loading ignores them).
   */
  baseExtras?(): Record<string, string>;
  adapters: CheckAdapter[];
}

/**
 * Any family's engine model as a CheckModel; `configJson` is its config.json (the registry's spec
 * writes the HF files back from it, as the CLI's export does).
 */
function lmCheckModel(model: CausalLm, configJson: string | Record<string, unknown>): CheckModel {
  const spec = modelSpec(configJson);
  return {
    vocabSize: model.vocabSize,
    adapters: model.adapters,
    fanInFanOut: spec.fanInFanOut,
    logits: async (ids, B, T, opts) => (await model.logits(ids, B, T, opts)).data,
    hfFiles: async () => ({ ...spec.hfFiles(await model.exportWeights()) }),
    trainer: (steps, lr) => new LmTrainer(model, { mode: 'lora', learningRate: lr, totalSteps: steps, warmupSteps: 1 }),
    dispose: () => model.dispose(),
  };
}

/** From a Hugging Face folder's two files, through the registry (any family). */
function openHfFiles(configJson: string, safetensors: Uint8Array): CheckModel {
  const model = modelSpec(configJson).fromWeights(readSafetensors(safetensors).tensors);
  return lmCheckModel(model, configJson);
}

/**
 * A random Llama-family model whose check means something: weights N(0, 0.1) (transformers'
 * 0.02 gives near-uniform log-probabilities at this width), and random norm weights and biases so
 * that a norm or bias read wrongly shows in the numbers.
 */
function randomLlama(c: LlamaConfig, seed: number): CheckModel {
  const model = LlamaModel.random(c, seed, { std: 0.1, randomNorms: true, randomBiases: true });
  return lmCheckModel(model, llamaConfigJson(c));
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
    openHf: openHfFiles,
    open: async () =>
      openHfFiles(
        readFileSync('public/models/tiny/config.json', 'utf8'),
        new Uint8Array(readFileSync('public/models/tiny/model.safetensors')),
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
    openHf: openHfFiles,
    open: async () => {
      const config = {
        model_type: 'gpt2',
        vocab_size: 211,
        n_positions: 40,
        n_embd: 48,
        n_layer: 2,
        n_head: 4,
        n_inner: 144,
        layer_norm_epsilon: 1e-6,
        activation_function: 'gelu_new',
      };
      return lmCheckModel(Gpt2Model.random(parseGpt2Config(config), 5), config);
    },
    ids: (V) => ({ batch: 2, seq: 32, data: randomIds(new Rng(11), V, 64) }),
    train: (V, step) => shifted(randomIds(new Rng(100 + step), V, 4 * 32), 4, 32),
    adapters: [
      { name: 'trained', lora: { r: 4, lora_alpha: 8, target_modules: ['c_attn', 'mlp.c_proj'] }, steps: 10, lr: 2e-2 },
    ],
  },
  {
    id: 'llama-random',
    description: 'a random Llama (SmolLM2-like: GQA 4/2, tied head, θ 1e5; H 64, 2 layers, 272 tokens)',
    hfClass: 'LlamaForCausalLM',
    modelType: 'llama',
    openHf: openHfFiles,
    open: async () =>
      randomLlama(
        parseLlamaConfig({
          model_type: 'llama',
          hidden_size: 64,
          intermediate_size: 160,
          num_hidden_layers: 2,
          num_attention_heads: 4,
          num_key_value_heads: 2,
          max_position_embeddings: 64,
          rms_norm_eps: 1e-5,
          rope_theta: 100000,
          tie_word_embeddings: true,
          vocab_size: 272,
        }),
        7,
      ),
    // The byte-level BPE of the CLI's tests (261 ids): the base is a complete CLI base folder.
    baseExtras: () => ({
      'tokenizer.json': JSON.stringify(tinyByteLevelBpe()),
      'tokenizer_config.json': JSON.stringify({ eos_token: '<|endoftext|>' }),
    }),
    ids: (V) => ({ batch: 2, seq: 32, data: randomIds(new Rng(13), V, 64) }),
    train: (V, step) => shifted(randomIds(new Rng(200 + step), V, 4 * 32), 4, 32),
    adapters: [
      // PEFT's default targets for Llama.
      { name: 'trained', lora: { r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] }, steps: 10, lr: 2e-2 },
      {
        name: 'patterns',
        lora: {
          r: 4,
          lora_alpha: 6,
          use_rslora: true,
          target_modules: 'all-linear',
          rank_pattern: { down_proj: 2 },
          alpha_pattern: { 'self_attn.o_proj': 3 },
          init_lora_weights: false,
        },
        steps: 0,
      },
    ],
  },
  {
    id: 'qwen2-random',
    description: 'a random Qwen2 (q/k/v biases, one kv head, separate head, θ 1e6, ε 1e-6; H 48, 2 layers, 199 tokens)',
    hfClass: 'Qwen2ForCausalLM',
    modelType: 'qwen2',
    openHf: openHfFiles,
    open: async () =>
      randomLlama(
        parseLlamaConfig({
          model_type: 'qwen2',
          hidden_size: 48,
          intermediate_size: 128,
          num_hidden_layers: 2,
          num_attention_heads: 4,
          num_key_value_heads: 1,
          max_position_embeddings: 64,
          rms_norm_eps: 1e-6,
          rope_theta: 1000000,
          tie_word_embeddings: false,
          vocab_size: 199,
        }),
        9,
      ),
    ids: (V) => ({ batch: 2, seq: 24, data: randomIds(new Rng(17), V, 48) }),
    train: (V, step) => shifted(randomIds(new Rng(300 + step), V, 4 * 24), 4, 24),
    adapters: [
      {
        name: 'trained',
        lora: { r: 4, lora_alpha: 8, target_modules: ['q_proj', 'k_proj', 'v_proj', 'up_proj'] },
        steps: 8,
        lr: 2e-2,
      },
    ],
  },
];
