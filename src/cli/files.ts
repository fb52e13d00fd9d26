/** What the CLI reads from and writes to disk: base folders, adapter folders, text files. */
import { existsSync, mkdirSync, openAsBlob, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocuments } from '../engine/data/tasks';
import type { BaseFiles } from '../engine/session/types';
import { UserFacingError } from '../engine/types';

function read(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new UserFacingError(`${what} not found: ${path}`);
  return readFileSync(path);
}

const SHARD = /^model-\d{5}-of-\d{5}\.safetensors$/;
const INDEX = 'model.safetensors.index.json';

/**
 * A base folder of any supported family: config.json, model.safetensors (or the shards
 * model-0000N-of-0000M.safetensors with model.safetensors.index.json), tokenizer.json and, when
 * present, tokenizer_config.json; as written by `train --mode full` or found in a Hugging Face
 * checkpoint. The weights are opened as blobs over the files (read tensor by tensor, never
 * whole). Its name is the folder as given.
 */
export async function readBaseFolder(dir: string): Promise<BaseFiles> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserFacingError(`base folder not found: ${dir}`);
  const text = (name: string) => read(join(dir, name), name).toString('utf8');
  const names = readdirSync(dir);
  const hasIndex = names.includes(INDEX);
  const weightNames =
    hasIndex || !names.includes('model.safetensors')
      ? names.filter((n) => SHARD.test(n)).sort()
      : ['model.safetensors'];
  if (weightNames.length === 0) read(join(dir, 'model.safetensors'), 'model.safetensors'); // the usual message
  const weights = await Promise.all(
    weightNames.map(async (name) => ({ name, blob: await openAsBlob(join(dir, name)) })),
  );
  return {
    name: dir,
    config: text('config.json'),
    weights,
    ...(hasIndex ? { index: text(INDEX) } : {}),
    tokenizer: text('tokenizer.json'),
    ...(names.includes('tokenizer_config.json') ? { tokenizerConfig: text('tokenizer_config.json') } : {}),
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
