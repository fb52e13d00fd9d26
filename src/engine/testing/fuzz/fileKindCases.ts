/**
 * Files that are something else than the one expected, as users give them by mistake: Git LFS
 * pointers, PyTorch checkpoints, GGUF, web pages, other Hugging Face JSON files. Each comes with
 * what the message must say about it.
 */
import type { Rng } from '../../rng';
import { zipFiles } from '../../zip';

const enc = new TextEncoder();
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

export interface OtherKind {
  what: string;
  bytes: (rng: Rng) => Uint8Array;
  /** The message must name the kind. */
  message: RegExp;
}

const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(16).toString(16)).join('');
const withJunk = (rng: Rng, head: number[]) => {
  const out = new Uint8Array(head.length + 16 + rng.int(200));
  out.set(head);
  for (let i = head.length; i < out.length; i++) out[i] = rng.int(256);
  return out;
};

/** A pickle as torch.save writes it: PROTO 2, then LONG1 with torch's magic number. */
const TORCH_LEGACY = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

export const OTHER_KINDS: OtherKind[] = [
  {
    what: 'a Git LFS pointer',
    bytes: (rng) =>
      enc.encode(
        `version https://git-lfs.github.com/spec/v1\noid sha256:${hex(rng, 64)}\nsize ${1000 + rng.int(1e9)}\n`,
      ),
    message: /Git LFS pointer.*git lfs pull/,
  },
  {
    what: "torch.save's zip",
    bytes: (rng) =>
      zipFiles({
        [`${pick(rng, ['archive', 'adapter_model', 'pytorch_model'])}/data.pkl`]: new Uint8Array([0x80, 0x02, 0x7d]),
        'archive/version': '3\n',
      }),
    message: /PyTorch checkpoint.*convert it with safetensors/,
  },
  {
    what: 'a legacy PyTorch pickle',
    bytes: (rng) => withJunk(rng, rng.int(2) ? TORCH_LEGACY : [0x80, 0x04, 0x95, 0x10, 0, 0, 0, 0, 0, 0, 0]),
    message: /PyTorch pickle.*convert it with safetensors/,
  },
  { what: 'a GGUF file', bytes: (rng) => withJunk(rng, [0x47, 0x47, 0x55, 0x46, 3, 0, 0, 0]), message: /GGUF/ },
  {
    what: 'a web page',
    bytes: (rng) =>
      enc.encode(`${pick(rng, ['<!DOCTYPE html>', '<html>', '  <!doctype html>'])}\n<head><title>x</title></head>`),
    message: /web page \(HTML\).*resolve\/main/,
  },
  { what: 'gzip', bytes: (rng) => withJunk(rng, [0x1f, 0x8b, 0x08, 0]), message: /gzip/ },
  {
    what: 'a NumPy array',
    bytes: (rng) => withJunk(rng, [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]),
    message: /NumPy/,
  },
  { what: 'an HDF5 file', bytes: (rng) => withJunk(rng, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a]), message: /HDF5/ },
  { what: 'an empty file', bytes: () => new Uint8Array(0), message: /empty/ },
];

export interface OtherJson {
  what: string;
  /** The slot it must not be given in (its own). */
  kind: 'model-config' | 'tokenizer' | 'vocab' | 'adapter-config' | 'tokenizer-config' | 'weights-index' | 'merges';
  text: string;
  message: RegExp;
}

/** Other Hugging Face files given where a JSON file is expected. */
export const OTHER_JSON: OtherJson[] = [
  {
    what: 'a model config.json',
    kind: 'model-config',
    text: JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_embd: 8, architectures: ['GPT2LMHeadModel'] }),
    message: /model's config\.json/,
  },
  {
    what: 'a tokenizer.json',
    kind: 'tokenizer',
    text: JSON.stringify({ version: '1.0', added_tokens: [], model: { type: 'BPE', vocab: {}, merges: [] } }),
    message: /this is a tokenizer\.json/,
  },
  {
    what: 'a vocab.json',
    kind: 'vocab',
    text: JSON.stringify(Object.fromEntries('abcdefghijkl'.split('').map((c, i) => [c, i]))),
    message: /vocab\.json/,
  },
  {
    what: 'an adapter_config.json',
    kind: 'adapter-config',
    text: JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['c_attn'] }),
    message: /adapter's adapter_config\.json/,
  },
  {
    what: 'a tokenizer_config.json',
    kind: 'tokenizer-config',
    text: JSON.stringify({ tokenizer_class: 'GPT2Tokenizer', model_max_length: 1024 }),
    message: /tokenizer_config\.json/,
  },
  {
    what: 'a sharded index',
    kind: 'weights-index',
    text: JSON.stringify({ metadata: {}, weight_map: { 'a.weight': 'x.safetensors' } }),
    message: /sharded/,
  },
  { what: 'merges.txt', kind: 'merges', text: '#version: 0.2\nĠ t\nĠ a\nh e\n', message: /merges\.txt/ },
];
