/**
 * What a file really is, from its first bytes or its parsed JSON, so that a file given in the
 * wrong place (a Git LFS pointer, a PyTorch pickle, a GGUF, vocab.json for tokenizer.json…) is
 * named in the message with what to do, instead of failing deep inside a parser. Reads at most the
 * first few hundred bytes; never parses or unpickles anything.
 */

export type FileKind =
  | 'git-lfs-pointer'
  | 'torch-zip'
  | 'pickle'
  | 'gguf'
  | 'zip'
  | 'gzip'
  | 'numpy'
  | 'hdf5'
  | 'html'
  | 'json'
  | 'text'
  | 'empty'
  | 'unknown';

const PICKLE_SECOND_OPCODES = new Set([0x8a, 0x95, 0x7d, 0x5d, 0x28, 0x63, 0x8c, 0x58, 0x4b, 0x71, 0x29]);

const ascii = (bytes: Uint8Array, n: number): string =>
  String.fromCharCode(...bytes.subarray(0, Math.min(n, bytes.length)));

const startsWith = (bytes: Uint8Array, magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);

/**
 * The kind of a file from its first bytes. A safetensors file is none of these kinds (it starts
 * with a little-endian length): call this only when a file failed to parse as what it should be.
 */
export function sniffFileKind(bytes: Uint8Array): FileKind {
  if (bytes.length === 0) return 'empty';
  const head = ascii(bytes, 512);
  if (head.startsWith('version https://git-lfs')) return 'git-lfs-pointer';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    // torch.save's zip: entries "<name>/data.pkl", "<name>/data/0", "<name>/version".
    return /data\.pkl|\/data\/\d|\/version/.test(head) ? 'torch-zip' : 'zip';
  }
  // PROTO 2–5, then an opcode pickles start with (LONG1: torch's magic number, FRAME, EMPTY_DICT…).
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5 && PICKLE_SECOND_OPCODES.has(bytes[2])) return 'pickle';
  if (head.startsWith('GGUF')) return 'gguf';
  if (startsWith(bytes, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(bytes, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])) return 'numpy'; // \x93NUMPY
  if (startsWith(bytes, [0x89, 0x48, 0x44, 0x46])) return 'hdf5'; // \x89HDF
  const text = head.replace(/^\ufeff|^\xef\xbb\xbf/, '').trimStart();
  if (/^<(!doctype html|html|head|body)/i.test(text)) return 'html';
  if (text.startsWith('{') || text.startsWith('[')) return 'json';
  return /^[\t\n\r\x20-\x7e]+$/.test(head.slice(0, 64)) ? 'text' : 'unknown';
}

const CONVERT =
  'convert it with safetensors (safetensors.torch.save_file(torch.load(path, weights_only=True), out_path)); pickles are never opened here';

/** Why a file of this kind is not the `expected` file and what to do; null when the kind tells nothing. */
export function wrongKindMessage(kind: FileKind, expected: string): string | null {
  switch (kind) {
    case 'git-lfs-pointer':
      return `this is a Git LFS pointer (a small text stub that stands in for the real file), not ${expected} itself: fetch the real file with "git lfs pull" (or download it from the model page)`;
    case 'torch-zip':
      return `this is a PyTorch checkpoint (torch.save's zip holding data.pkl, e.g. a .bin or .pt file), not ${expected}: ${CONVERT}`;
    case 'pickle':
      return `this is a PyTorch pickle (an old-style .bin or .pt file), not ${expected}: ${CONVERT}`;
    case 'gguf':
      return `this is a GGUF file (llama.cpp's format), not ${expected}: use the model's safetensors files from its Hugging Face page`;
    case 'zip':
      return `this is a zip archive, not ${expected}: unpack it first, or import the .zip itself where a zip is accepted`;
    case 'gzip':
      return `this is a gzip-compressed file, not ${expected}: decompress it first`;
    case 'numpy':
      return `this is a NumPy .npy array, not ${expected}`;
    case 'hdf5':
      return `this is an HDF5 file (Keras/TensorFlow weights such as tf_model.h5), not ${expected}: use the PyTorch/safetensors weights`;
    case 'html':
      return `this is a web page (HTML), not ${expected}: on Hugging Face use the file's download link (…/resolve/main/…), not its page (…/blob/main/…)`;
    case 'json':
      return `this is JSON text, not ${expected}: was a config or tokenizer file given in its place?`;
    case 'empty':
      return `the file is empty (0 bytes), not ${expected}`;
    default:
      return null;
  }
}

/** What a parsed JSON object most likely is, by the keys Hugging Face and PEFT write. */
export type JsonKind =
  | 'tokenizer'
  | 'vocab'
  | 'model-config'
  | 'adapter-config'
  | 'tokenizer-config'
  | 'special-tokens-map'
  | 'generation-config'
  | 'weights-index'
  | 'unknown';

const has = (o: Record<string, unknown>, ...keys: string[]): boolean => keys.some((k) => Object.hasOwn(o, k));

/** Classifies a JSON object in constant time (it looks at a fixed number of keys). */
export function jsonKind(o: Record<string, unknown>): JsonKind {
  if (has(o, 'peft_type') || (has(o, 'lora_alpha') && has(o, 'r'))) return 'adapter-config';
  const keys: string[] = [];
  for (const k in o) {
    if (keys.length >= 16) break;
    keys.push(k);
  }
  const configKeys = has(o, 'model_type', 'n_layer', 'n_embd', 'vocab_size', 'num_hidden_layers', 'hidden_size');
  // Checked early: GPT-2's vocab.json has tokens such as "model" and "decoder" among its keys.
  if (keys.length >= 8 && !configKeys && keys.every((k) => Number.isInteger(o[k]))) return 'vocab';
  if (has(o, 'model') && has(o, 'added_tokens', 'normalizer', 'pre_tokenizer', 'decoder')) return 'tokenizer';
  if (has(o, 'weight_map')) return 'weights-index';
  if (has(o, 'tokenizer_class', 'model_max_length', 'added_tokens_decoder')) return 'tokenizer-config';
  if (has(o, 'architectures', 'model_type', 'n_layer', 'num_hidden_layers')) return 'model-config';
  if (has(o, '_from_model_config', 'max_new_tokens') || (has(o, 'transformers_version') && has(o, 'eos_token_id')))
    return 'generation-config';
  if (keys.length >= 2 && keys.every((k) => k.endsWith('_token'))) return 'special-tokens-map';
  return 'unknown';
}

const JSON_NAMES: Record<Exclude<JsonKind, 'unknown'>, string> = {
  tokenizer: 'a tokenizer.json',
  vocab: "a vocab.json (a token → id map, half of a GPT-2 tokenizer's vocab.json + merges.txt)",
  'model-config': "a model's config.json",
  'adapter-config': "a PEFT adapter's adapter_config.json",
  'tokenizer-config': 'a tokenizer_config.json',
  'special-tokens-map': 'a special_tokens_map.json',
  'generation-config': 'a generation_config.json',
  'weights-index': 'a sharded checkpoint index (model.safetensors.index.json)',
};

const FILE_NAMES: Record<Exclude<JsonKind, 'unknown'>, string> = {
  tokenizer: 'tokenizer.json',
  vocab: 'vocab.json',
  'model-config': 'config.json',
  'adapter-config': 'adapter_config.json',
  'tokenizer-config': 'tokenizer_config.json',
  'special-tokens-map': 'special_tokens_map.json',
  'generation-config': 'generation_config.json',
  'weights-index': 'model.safetensors.index.json',
};

/**
 * A message when a JSON object is recognisably another Hugging Face file than `expected` (a kind
 * in JsonKind); null when it may be the right one.
 */
export function wrongJsonMessage(o: Record<string, unknown>, expected: Exclude<JsonKind, 'unknown'>): string | null {
  const kind = jsonKind(o);
  if (kind === 'unknown' || kind === expected) return null;
  const file = FILE_NAMES[expected];
  let hint = `give ${file} here`;
  if (expected === 'tokenizer' && kind === 'vocab')
    hint =
      "give the model's tokenizer.json (vocab.json and merges.txt are not read here; transformers writes tokenizer.json with AutoTokenizer.from_pretrained(folder).save_pretrained(folder))";
  if (kind === 'weights-index')
    hint = `${hint}; a sharded checkpoint is read from its shards (model-0000N-of-0000M.safetensors) together with this index`;
  return `this is ${JSON_NAMES[kind]}, not ${file}: ${hint}`;
}

/** A message when text meant to be JSON is recognisably something else (LFS pointer, HTML, merges.txt). */
export function wrongTextMessage(text: string, expected: string): string | null {
  const head = text.slice(0, 512).trimStart();
  if (head.startsWith('{') || head.startsWith('[')) return null;
  const kind = wrongKindMessage(sniffFileKind(new TextEncoder().encode(head)), expected);
  if (kind) return kind;
  if (head.startsWith('#version') || /^Ġ?\S+ \S+\n\S+ \S+\n\S+ \S+\n/.test(head))
    return `this is a merges.txt (BPE merge rules), not ${expected}`;
  return null;
}
