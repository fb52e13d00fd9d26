/**
 * What a recipe download is built from, on the page: a run (a finished one, a paper-lab run, or
 * just the current settings) on the loaded base, and where that base came from. Pure, unit-tested;
 * RecipeButton gathers the pieces (files, tokenizer) and calls these.
 */
import type { TextDataset } from '../../engine/data/tasks';
import type { RecipeBase, RecipeInput } from '../../engine/recipe/settings';
import type { BaseFiles, ModelSummary, RunSettings } from '../../engine/session/types';

/** The run a recipe reproduces, and what it reached in the browser when it finished. */
export interface RecipeRun {
  settings: RunSettings;
  dataset: TextDataset;
  /** Absent for settings that were not run yet. */
  result?: { validationLoss: number; steps: number; baseValidationLoss?: number; backend?: string };
}

/** A finished run's result for the recipe's README (none when its loss is not a number, e.g. it diverged). */
export function recordResult(
  rec: { finalValidationLoss: number; baseValidationLoss: number; steps: number },
  backend?: string | null,
): RecipeRun['result'] {
  if (!Number.isFinite(rec.finalValidationLoss)) return undefined;
  return {
    validationLoss: rec.finalValidationLoss,
    steps: rec.steps,
    ...(Number.isFinite(rec.baseValidationLoss) ? { baseValidationLoss: rec.baseValidationLoss } : {}),
    ...(backend ? { backend } : {}),
  };
}

/** A base model loaded from the Hugging Face Hub: what the recipe names instead of shipping its files. */
export interface HubOrigin {
  repoId: string;
  revision: string;
}

const hubOrigins = new Map<string, HubOrigin>();

/**
 * Record that the model loaded under `name` came from the Hub (the Hub loader calls this once it
 * loads models into the trainer), so a recipe names its repository instead of shipping its files.
 */
export function noteHubOrigin(name: string, origin: HubOrigin): void {
  hubOrigins.set(name, origin);
}

export function hubOriginOf(name: string): HubOrigin | null {
  return hubOrigins.get(name) ?? null;
}

/** The folder next to train_lora.py that holds a shipped or the learner's own base. */
export const BASE_FOLDER = 'base';

/** A base's files as the recipe folder carries them. */
export function baseFolder(files: Pick<BaseFiles, 'config' | 'weights' | 'tokenizer'>): RecipeBase {
  // A checkpoint streamed from the learner's files (big or sharded) is not copied into the recipe:
  // its README says which folder to put it in.
  if (!(files.weights instanceof Uint8Array)) return { kind: 'folder', folder: BASE_FOLDER };
  return {
    kind: 'folder',
    folder: BASE_FOLDER,
    files: { 'config.json': files.config, 'model.safetensors': files.weights, 'tokenizer.json': files.tokenizer },
  };
}

/**
 * Where the recipe gets the base: its Hub repository when it came from there, else its files in
 * a folder (`files`: the shipped model's, the learner's own, or an export of the loaded base).
 */
export function chooseRecipeBase(
  modelName: string,
  hub: HubOrigin | null,
  files: Pick<BaseFiles, 'config' | 'weights' | 'tokenizer'> | null,
): RecipeBase {
  if (hub) return { kind: 'hub', repoId: hub.repoId, revision: hub.revision };
  if (files) return baseFolder(files);
  throw new Error(`the files of ${modelName} are not available to put in the recipe`);
}

/** The recipe's input for `run` on `model` (GPT-2, or the Llama architecture for llama and qwen2). */
export function recipeInputFor(
  run: RecipeRun,
  model: ModelSummary,
  base: RecipeBase,
  endOfText: { token: string; id: number },
): RecipeInput {
  const { dataset } = run;
  return {
    settings: run.settings,
    dataset: {
      label: dataset.label,
      train: dataset.train,
      validation: dataset.validation,
      alignToDocuments: dataset.alignToDocuments,
    },
    base,
    architecture: model.family === 'gpt2' ? 'gpt2' : 'llama',
    modules: model.modules,
    contextLength: model.dims.nPositions,
    endOfText,
    ...(run.result ? { browser: run.result } : {}),
  };
}
