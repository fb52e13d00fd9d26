/** What the CLI reads from and writes to disk: base folders, adapter folders, text files. */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments } from '../engine/data/tasks';
import type { BaseFiles } from '../engine/session/types';
import { UserFacingError } from '../engine/types';

function read(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new UserFacingError(`${what} not found: ${path}`);
  return readFileSync(path);
}

/**
 * A base folder: config.json, model.safetensors and tokenizer.json (any tokenizer the app reads:
 * the character tokenizer or a byte-level BPE), as written by `train --mode full` or found in a
 * Hugging Face GPT-2 checkpoint. Its name is the folder as given.
 */
export function readBaseFolder(dir: string): BaseFiles {
  return {
    name: dir,
    config: read(join(dir, 'config.json'), 'config.json').toString('utf8'),
    weights: new Uint8Array(read(join(dir, 'model.safetensors'), 'model.safetensors')),
    tokenizer: read(join(dir, 'tokenizer.json'), 'tokenizer.json').toString('utf8'),
  };
}

/**
 * A PEFT adapter: a folder (adapter_model.safetensors, adapter_config.json) or a .zip of one.
 * A PyTorch pickle in the folder is noted but never read.
 */
export function readAdapter(path: string): Uint8Array | Map<string, Uint8Array> {
  if (!existsSync(path)) throw new UserFacingError(`adapter not found: ${path}`);
  if (!statSync(path).isDirectory()) return new Uint8Array(readFileSync(path));
  const files = new Map<string, Uint8Array>();
  for (const name of ['adapter_model.safetensors', 'adapter_config.json']) {
    if (existsSync(join(path, name))) files.set(name, new Uint8Array(readFileSync(join(path, name))));
  }
  if (existsSync(join(path, 'adapter_model.bin'))) files.set('adapter_model.bin', new Uint8Array(0));
  return files;
}

/** A text file's documents: one per line, empty lines dropped. */
export function readDocuments(path: string): string[] {
  return parseDocuments(read(path, 'text file').toString('utf8'));
}

/** Writes every file into `dir` (created if needed). */
export function writeFolder<T extends { [K in keyof T]: Uint8Array | string }>(dir: string, files: T): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries<Uint8Array | string>(files)) writeFileSync(join(dir, name), data);
}
