/**
 * Damaged model files for the "bring your own model" path and the Parameters page: config.json
 * numbers no browser can hold (n_layer 1e15), memory past the limits, a weights file that cannot
 * match, other files given as config.json or tokenizer.json. Each is refused by the config parser,
 * the closed-form memory check or the tokenizer check, before anything is allocated.
 */
import type { Rng } from '../../rng';
import { OTHER_JSON, OTHER_KINDS } from './fileKindCases';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

export interface ModelCase {
  description: string;
  /** "gpt2": parseGpt2Config + assertModelFits; "params": describeModelText; "tokenizer": the tokenizer check. */
  target: 'gpt2' | 'params' | 'tokenizer';
  text: string;
  /** Size of the weights file beside the config (gpt2 only). */
  fileBytes: number;
  message?: RegExp;
  accepted?: true;
}

/** The valid tiny GPT-2 the cases start from, and its float32 size (29,600 parameters). */
const TINY = { model_type: 'gpt2', vocab_size: 97, n_positions: 32, n_embd: 32, n_layer: 2, n_head: 2 };
const TINY_BYTES = 29_600 * 4;
const LLAMA = {
  model_type: 'llama',
  vocab_size: 128_256,
  hidden_size: 8192,
  intermediate_size: 28_672,
  num_hidden_layers: 80,
  num_attention_heads: 64,
  num_key_value_heads: 8,
};
const BLOOM = { model_type: 'bloom', vocab_size: 250_880, hidden_size: 1024, n_layer: 24, n_head: 16 };

const HUGE = [1e6 * 1024, 1e8, 1e15, 2 ** 53, 2 ** 53 + 2, 1e308];
const LIMIT_PLUS_ONE: Record<string, number> = {
  n_layer: 1025,
  n_embd: 65_538,
  n_head: 1026,
  vocab_size: 2_097_153,
  n_positions: 1_048_577,
  n_inner: 262_145,
};

type Operator = (rng: Rng) => Omit<ModelCase, 'description'> & { description: string };

const gpt2 = (patch: Record<string, unknown>, fileBytes = TINY_BYTES) => ({
  target: 'gpt2' as const,
  text: JSON.stringify({ ...TINY, ...patch }),
  fileBytes,
});

const operators: Record<string, Operator> = {
  hugeField: (rng) => {
    const key = pick(rng, Object.keys(LIMIT_PLUS_ONE));
    const value = rng.int(3) === 0 ? LIMIT_PLUS_ONE[key] : pick(rng, HUGE);
    return {
      description: `${key} = ${value}`,
      ...gpt2({ [key]: value }),
      message: /at most [\d,]+ .* can be held in a browser tab|must be divisible|must be a positive integer/,
    };
  },
  badValue: (rng) => {
    const key = pick(rng, ['n_layer', 'n_embd', 'n_head', 'vocab_size', 'n_positions', 'n_inner']);
    const value = pick(rng, ['12', 12.5, -1, 0, true, [], {}, '1e400']);
    const c = gpt2({ [key]: value === '1e400' ? 0 : value });
    if (value === '1e400') c.text = c.text.replace(`"${key}":0`, `"${key}":1e400`); // JSON's Infinity
    return { description: `${key} = ${JSON.stringify(value)}`, ...c, message: /must be|divisible/ };
  },
  overMemory: (rng) => {
    const patch = pick(rng, [
      { n_layer: 1024, n_embd: 8192, n_head: 64 },
      { n_layer: 200, n_embd: 4096, n_head: 32 },
      { vocab_size: 2_000_000, n_embd: 4096, n_head: 32 },
      { n_positions: 1_048_576, n_embd: 2048, n_head: 16 },
      { n_layer: 1, n_embd: 65_536, n_head: 1024 },
    ]);
    return {
      description: `${JSON.stringify(patch)}`,
      ...gpt2(patch),
      message: /over the 4\.0 GiB a browser tab can hold|one tensor can take/,
    };
  },
  fileMismatch: (rng) => {
    const fileBytes = pick(rng, [0, 100, 29_600, 5 * 1024 ** 3]);
    return {
      description: `weights file of ${fileBytes} bytes`,
      ...gpt2({}, fileBytes),
      message: fileBytes > TINY_BYTES ? /weights file is 5\.0 GiB/ : /do not belong together/,
    };
  },
  wrongConfigFile: (rng) => {
    if (rng.int(3) === 0) {
      const k = pick(
        rng,
        OTHER_KINDS.filter((x) => ['a Git LFS pointer', 'a web page'].includes(x.what)),
      );
      const text = new TextDecoder().decode(k.bytes(rng));
      return {
        description: `config.json is ${k.what}`,
        target: 'gpt2',
        text,
        fileBytes: TINY_BYTES,
        message: k.message,
      };
    }
    const j = pick(
      rng,
      OTHER_JSON.filter((x) => x.kind !== 'model-config'),
    );
    return {
      description: `config.json is ${j.what}`,
      target: pick(rng, ['gpt2', 'params'] as const),
      text: j.text,
      fileBytes: TINY_BYTES,
      message: j.message,
    };
  },
  paramsPage: (rng) => {
    const [base, key] = pick(rng, [
      [LLAMA, 'num_hidden_layers'],
      [LLAMA, 'hidden_size'],
      [LLAMA, 'vocab_size'],
      [LLAMA, 'intermediate_size'],
      [BLOOM, 'n_layer'],
      [BLOOM, 'hidden_size'],
      [TINY, 'n_layer'],
    ] as [Record<string, unknown>, string][]);
    const value = pick(rng, HUGE);
    return {
      description: `Parameters page: ${String(base.model_type)} ${key} = ${value}`,
      target: 'params',
      text: JSON.stringify({ ...base, [key]: value }),
      fileBytes: 0,
      message: /at most [\d,]+ .* can be held in a browser tab|must be/,
    };
  },
  wrongTokenizerFile: (rng) => {
    const choice = rng.int(4);
    if (choice === 0) {
      const k = pick(
        rng,
        OTHER_KINDS.filter((x) => ['a Git LFS pointer', 'a web page'].includes(x.what)),
      );
      const text = new TextDecoder().decode(k.bytes(rng));
      return {
        description: `tokenizer.json is ${k.what}`,
        target: 'tokenizer',
        text,
        fileBytes: 0,
        message: k.message,
      };
    }
    const j = pick(
      rng,
      OTHER_JSON.filter((x) => x.kind !== 'tokenizer'),
    );
    return {
      description: `tokenizer.json is ${j.what}`,
      target: 'tokenizer',
      text: j.text,
      fileBytes: 0,
      message: j.kind === 'vocab' ? /vocab\.json .*give the model's tokenizer\.json/ : j.message,
    };
  },
  acceptedModel: (rng) => {
    const c = pick(rng, [
      { description: 'valid: 1,024 layers of width 8', ...gpt2({ n_layer: 1024, n_embd: 8, n_head: 2 }, 4e6) },
      {
        description: 'valid: Llama-3-70B on the Parameters page',
        target: 'params' as const,
        text: JSON.stringify(LLAMA),
        fileBytes: 0,
      },
      { description: 'valid: the tiny GPT-2', ...gpt2({}) },
    ]);
    return { ...c, accepted: true };
  },
};

export const MODEL_OPERATORS = Object.keys(operators);

/** One damaged (or, for acceptedModel, valid) model-file case. */
export function mutateModel(rng: Rng, operator = pick(rng, MODEL_OPERATORS)): ModelCase {
  const m = operators[operator](rng);
  return { ...m, description: `model/${operator}: ${m.description}` };
}
