/**
 * Checks a converted adapter the way this product's importer checks an upload, against a base
 * layout known from its config.json (every adaptable linear module with its shape).
 */
import { describeModel } from '../paramCount';
import { importAdapter, type AdapterImportBase, type ImportedAdapter } from '../peft/importAdapter';
import { parseJsonObject } from '../peft/json';
import { UserFacingError } from '../types';
import { filesToMap } from './common';

/** model_types whose linear layers have the Llama layout (Qwen2 adds biases, not modules). */
const LLAMA_LIKE = new Set(['llama', 'mistral', 'qwen2', 'qwen3']);

export interface BaseLayout {
  base: AdapterImportBase;
  /** num_attention_heads, for llama.cpp's q/k row order. */
  heads: number | null;
}

/** The importer's base description from a config.json (GPT-2, BLOOM and the Llama family). */
export function baseFromConfig(bytes: Uint8Array): BaseLayout {
  const cfg = parseJsonObject(bytes, 'config.json');
  const type = typeof cfg.model_type === 'string' ? cfg.model_type : '';
  const arch = describeModel(LLAMA_LIKE.has(type) ? { ...cfg, model_type: 'llama' } : cfg);
  const modules = new Map(arch.linears.map((l) => [l.name, { dIn: l.dIn, dOut: l.dOut }]));
  const heads = Number.isSafeInteger(cfg.num_attention_heads) ? (cfg.num_attention_heads as number) : null;
  return { base: { modules, modelType: type === 'gpt2' ? 'gpt2' : type }, heads };
}

/**
 * Runs the product's PEFT import checks on converted files.
 * @throws UserFacingError with the importer's message when the files would be refused.
 */
export function checkWithImporter(files: object, base: AdapterImportBase): ImportedAdapter {
  try {
    return importAdapter(filesToMap(files), base);
  } catch (e) {
    if (e instanceof UserFacingError)
      throw new UserFacingError(`the converted adapter fails the import check: ${e.message}`);
    throw e;
  }
}
