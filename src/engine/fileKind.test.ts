import { describe, expect, it } from 'vitest';
import { jsonKind, sniffFileKind, wrongJsonMessage, wrongTextMessage } from './fileKind';
import { parseGpt2Config } from './gpt2/config';
import { describeModelText } from './paramCount';
import { readSafetensors, writeSafetensors } from './safetensors';
import { checkTokenizerFile } from './tokenizer/fileCheck';
import { zipFiles } from './zip';

const enc = (s: string) => new TextEncoder().encode(s);
const lfs =
  'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 548105171\n';
const vocab = JSON.stringify(
  Object.fromEntries(['!', '"', '#', 'model', 'decoder', 'version', 'r', 'a'].map((t, i) => [t, i])),
);
const tokenizer = JSON.stringify({ version: '1.0', added_tokens: [], model: { type: 'BPE', vocab: {}, merges: [] } });
const adapterConfig = JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['c_attn'] });
const modelConfig = JSON.stringify({
  model_type: 'gpt2',
  n_layer: 2,
  n_embd: 8,
  n_head: 2,
  vocab_size: 11,
  n_positions: 8,
});

describe('what a file is (issue 12, item 6)', () => {
  it('sniffs the first bytes: LFS pointer, torch zip, pickle, GGUF, zip, HTML, JSON', () => {
    expect(sniffFileKind(enc(lfs))).toBe('git-lfs-pointer');
    expect(sniffFileKind(zipFiles({ 'archive/data.pkl': 'x', 'archive/version': '3' }))).toBe('torch-zip');
    expect(sniffFileKind(zipFiles({ 'adapter_config.json': '{}' }))).toBe('zip');
    expect(sniffFileKind(new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc]))).toBe('pickle');
    expect(sniffFileKind(enc('GGUF\x03\x00\x00\x00'))).toBe('gguf');
    expect(sniffFileKind(enc('\n<!DOCTYPE html>'))).toBe('html');
    expect(sniffFileKind(enc('  {"a": 1}'))).toBe('json');
    expect(sniffFileKind(new Uint8Array(0))).toBe('empty');
    // a real safetensors file's first bytes are a little-endian length: none of the above
    expect(sniffFileKind(writeSafetensors(new Map([['w', { shape: [1], data: new Float32Array(1) }]])))).toBe(
      'unknown',
    );
  });

  it('safetensors: an LFS pointer, a torch .bin or a GGUF is named instead of "header length … exceeds"', () => {
    expect(() => readSafetensors(enc(lfs))).toThrow(
      /Invalid safetensors file: this is a Git LFS pointer \(a small text stub that stands in for the real file\), not a safetensors file itself: fetch the real file with "git lfs pull"/,
    );
    expect(() => readSafetensors(new Uint8Array([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20]))).toThrow(
      /PyTorch pickle .* convert it with safetensors \(safetensors\.torch\.save_file/,
    );
    expect(() => readSafetensors(enc('GGUF\x03\x00\x00\x00\x00\x00\x00\x00\x00'))).toThrow(
      /GGUF file \(llama\.cpp's format\)/,
    );
  });

  it('JSON files by their keys, vocab.json before anything (its tokens include "model" and "version")', () => {
    expect(jsonKind(JSON.parse(vocab))).toBe('vocab');
    expect(jsonKind(JSON.parse(tokenizer))).toBe('tokenizer');
    expect(jsonKind(JSON.parse(adapterConfig))).toBe('adapter-config');
    expect(jsonKind(JSON.parse(modelConfig))).toBe('model-config');
    expect(jsonKind({ a: 1, b: 2 })).toBe('unknown');
    expect(wrongJsonMessage(JSON.parse(modelConfig), 'model-config')).toBeNull();
    expect(wrongTextMessage('#version: 0.2\nĠ t\n', 'tokenizer.json')).toMatch(/merges\.txt/);
  });

  it('tokenizer.json: vocab.json, config.json, adapter_config.json or an LFS pointer in its place', () => {
    expect(() => checkTokenizerFile(vocab)).toThrow(
      /tokenizer\.json: this is a vocab\.json .*, not tokenizer\.json: give the model's tokenizer\.json \(vocab\.json and merges\.txt are not read here/,
    );
    expect(() => checkTokenizerFile(modelConfig)).toThrow(/this is a model's config\.json, not tokenizer\.json/);
    expect(() => checkTokenizerFile(adapterConfig)).toThrow(/adapter_config\.json, not tokenizer\.json/);
    expect(() => checkTokenizerFile(lfs)).toThrow(/tokenizer\.json: this is a Git LFS pointer/);
    expect(() => checkTokenizerFile(tokenizer)).not.toThrow();
    expect(() => checkTokenizerFile('{"broken": ')).not.toThrow(); // left to the reader, which names the position
  });

  it('config.json: an adapter_config.json, a tokenizer.json or an LFS pointer in its place', () => {
    expect(() => parseGpt2Config(adapterConfig)).toThrow(
      /config\.json: this is a PEFT adapter's adapter_config\.json, not config\.json: give config\.json here/,
    );
    expect(() => parseGpt2Config(tokenizer)).toThrow(/this is a tokenizer\.json, not config\.json/);
    expect(() => parseGpt2Config(lfs)).toThrow(/config\.json: this is a Git LFS pointer/);
    expect(() => describeModelText(vocab)).toThrow(/This is not a config\.json: this is a vocab\.json/);
    expect(parseGpt2Config(modelConfig).n_layer).toBe(2);
  });
});
