/**
 * Seeded generator of damaged inputs (adapter safetensors, adapter_config.json, zips, model
 * config.json, tokenizer.json), built from a valid adapter and a valid tiny GPT-2 config. Every
 * case is invalid by construction, except those marked `accepted` (valid inputs that old code got
 * wrong: RE2-only regexes, PEFT's layer filters, other tasks' adapters); `runCase` feeds each to
 * the same code the UI uses, which must answer with a UserFacingError (or load, with the expected
 * warning), quickly, and change nothing.
 */
import { parseGpt2Config, gpt2Dims } from '../../gpt2/config';
import { assertModelFits } from '../../limits';
import { describeModelText } from '../../paramCount';
import { importAdapter, importAdapterZip, type AdapterImportBase } from '../../peft/importAdapter';
import { Rng } from '../../rng';
import { checkTokenizerFile } from '../../tokenizer/fileCheck';
import { CONFIG_OPERATORS, mutateConfig } from './configCases';
import { MODEL_OPERATORS, mutateModel, type ModelCase } from './modelCases';
import { SAFETENSORS_OPERATORS, mutateSafetensors } from './safetensorsCases';
import { ZIP_OPERATORS, mutateZip, type ValidAdapterFiles } from './zipCases';

export type { ValidAdapterFiles } from './zipCases';

export interface MalformedCase {
  /** Position in the run; with the seed it reproduces the case. */
  index: number;
  /** "<file kind>/<operator>: what was done". */
  description: string;
  input: { files: Map<string, Uint8Array> } | { zip: Uint8Array } | { model: ModelCase };
  /** What the error message must say. */
  message?: RegExp;
  /** A valid input: it must be accepted, with a warning matching this (`true`: any or none). */
  accepted?: RegExp | true;
}

type Kind = 'safetensors' | 'config' | 'zip' | 'model';

const enc = new TextEncoder();

/**
 * `count` cases from one valid adapter, made lazily (some are megabytes). The first cases use
 * each operator once (so a short run still covers them all); the rest are drawn ~30 % safetensors,
 * 30 % config, 22 % zip, 18 % model files. Same seed ⇒ same cases.
 */
export function* malformedCases(valid: ValidAdapterFiles, seed: number, count = 2000): Generator<MalformedCase> {
  const rng = new Rng(seed);
  const files = (weights: Uint8Array, config: Uint8Array) =>
    new Map([
      ['adapter_model.safetensors', weights],
      ['adapter_config.json', config],
    ]);
  const validConfig = enc.encode(valid.config);
  const make = (kind: Kind, operator?: string): Omit<MalformedCase, 'index'> => {
    if (kind === 'safetensors') {
      const { bytes, ...m } = mutateSafetensors(rng, valid.safetensors, operator);
      return { ...m, input: { files: files(bytes, validConfig) } };
    }
    if (kind === 'config') {
      const { bytes, ...m } = mutateConfig(rng, valid.config, operator);
      return { ...m, input: { files: files(valid.safetensors, bytes) } };
    }
    if (kind === 'model') {
      const m = mutateModel(rng, operator);
      return { description: m.description, message: m.message, accepted: m.accepted, input: { model: m } };
    }
    const { bytes, ...m } = mutateZip(rng, valid, operator);
    return { ...m, input: { zip: bytes } };
  };
  const plan: [kind: Kind, operator?: string][] = [
    ...SAFETENSORS_OPERATORS.map((op) => ['safetensors', op] as [Kind, string]),
    ...CONFIG_OPERATORS.map((op) => ['config', op] as [Kind, string]),
    ...ZIP_OPERATORS.map((op) => ['zip', op] as [Kind, string]),
    ...MODEL_OPERATORS.map((op) => ['model', op] as [Kind, string]),
  ];
  for (let index = 0; index < count; index++) {
    const draw = rng.next();
    const [kind, operator] = plan[index] ?? [
      draw < 0.3 ? 'safetensors' : draw < 0.6 ? 'config' : draw < 0.82 ? 'zip' : 'model',
    ];
    yield { index, ...make(kind, operator) };
  }
}

/** Runs a model-file case through what the Train page and the Parameters page call. */
function runModelCase(m: ModelCase): string[] {
  if (m.target === 'tokenizer') checkTokenizerFile(m.text);
  else if (m.target === 'params') describeModelText(m.text);
  else assertModelFits(gpt2Dims(parseGpt2Config(m.text)), m.fileBytes);
  return [];
}

/**
 * Feeds one case to the code the UI uses (files or a .zip to the importer, model files to their checks);
 * returns the warnings.
 */
export function runCase(c: MalformedCase, base: AdapterImportBase): string[] {
  if ('model' in c.input) return runModelCase(c.input.model);
  return ('zip' in c.input ? importAdapterZip(c.input.zip, base) : importAdapter(c.input.files, base)).warnings;
}
