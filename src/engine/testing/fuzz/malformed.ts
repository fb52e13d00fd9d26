/**
 * Seeded generator of malformed adapter inputs (safetensors, adapter_config.json, zip), built from
 * a valid adapter. Every case is invalid by construction; `runCase` feeds it to the same import
 * code the UI uses, which must answer with a UserFacingError, quickly, and change nothing.
 */
import { importAdapter, importAdapterZip, type AdapterImportBase, type ImportedAdapter } from '../../peft/importAdapter';
import { Rng } from '../../rng';
import { CONFIG_OPERATORS, mutateConfig } from './configCases';
import { SAFETENSORS_OPERATORS, mutateSafetensors } from './safetensorsCases';
import { ZIP_OPERATORS, mutateZip, type ValidAdapterFiles } from './zipCases';

export type { ValidAdapterFiles } from './zipCases';

export interface MalformedCase {
  /** Position in the run; with the seed it reproduces the case. */
  index: number;
  /** "<file kind>/<operator>: what was done". */
  description: string;
  input: { files: Map<string, Uint8Array> } | { zip: Uint8Array };
}

const enc = new TextEncoder();

/**
 * `count` malformed cases from one valid adapter, made lazily (some are megabytes). The first
 * cases use each operator once (so a short run still covers them all); the rest are drawn
 * ~40 % safetensors, 25 % config, 35 % zip. Same seed ⇒ same cases.
 */
export function* malformedCases(valid: ValidAdapterFiles, seed: number, count = 1200): Generator<MalformedCase> {
  const rng = new Rng(seed);
  const files = (weights: Uint8Array, config: Uint8Array) =>
    new Map([
      ['adapter_model.safetensors', weights],
      ['adapter_config.json', config],
    ]);
  const validConfig = enc.encode(valid.config);
  const make = (kind: 'safetensors' | 'config' | 'zip', operator?: string): Omit<MalformedCase, 'index'> => {
    if (kind === 'safetensors') {
      const m = mutateSafetensors(rng, valid.safetensors, operator);
      return { description: m.description, input: { files: files(m.bytes, validConfig) } };
    }
    if (kind === 'config') {
      const m = mutateConfig(rng, valid.config, operator);
      return { description: m.description, input: { files: files(valid.safetensors, m.bytes) } };
    }
    const m = mutateZip(rng, valid, operator);
    return { description: m.description, input: { zip: m.bytes } };
  };
  const plan: [kind: 'safetensors' | 'config' | 'zip', operator?: string][] = [
    ...SAFETENSORS_OPERATORS.map((op) => ['safetensors', op] as ['safetensors', string]),
    ...CONFIG_OPERATORS.map((op) => ['config', op] as ['config', string]),
    ...ZIP_OPERATORS.map((op) => ['zip', op] as ['zip', string]),
  ];
  for (let index = 0; index < count; index++) {
    const draw = rng.next();
    const [kind, operator] = plan[index] ?? [draw < 0.4 ? 'safetensors' : draw < 0.65 ? 'config' : 'zip'];
    yield { index, ...make(kind, operator) };
  }
}

/** Feeds one case to the importer exactly as the UI does (files or a .zip). */
export function runCase(c: MalformedCase, base: AdapterImportBase): ImportedAdapter {
  return 'zip' in c.input ? importAdapterZip(c.input.zip, base) : importAdapter(c.input.files, base);
}
