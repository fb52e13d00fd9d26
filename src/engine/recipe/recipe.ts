/**
 * The run as a folder of files (and a zip of it): train_lora.py, requirements.txt, the data as
 * split, the DeepSpeed ZeRO-2 config, a README, and the base model's files when given.
 */
import { formatDocuments } from '../data/tasks';
import { UserFacingError } from '../types';
import { zipFiles } from '../zip';
import { recipeReadme } from './readme';
import { recipeSettings, type RecipeInput, type RecipeSettings } from './settings';
import { trainLoraPy } from './trainScript';
import { deepSpeedZero2, requirementsTxt } from './versions';

/** The base files a folder base may carry (what the app's base export writes). */
const BASE_FILES = new Set(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);

export interface Recipe {
  settings: RecipeSettings;
  /** Folder name for the download ("lowrank-recipe-names"). */
  folder: string;
  /** File path (relative to the folder) → contents. */
  files: Record<string, Uint8Array | string>;
}

/**
 * Every file of the recipe for a finished run (or its settings).
 * @throws UserFacingError as recipeSettings does, and for a base file the app does not export.
 */
export function buildRecipe(input: RecipeInput): Recipe {
  const settings = recipeSettings(input);
  const files: Record<string, Uint8Array | string> = {
    'train_lora.py': trainLoraPy(settings),
    'requirements.txt': requirementsTxt(),
    [settings.data.train_file]: formatDocuments(input.dataset.train),
    [settings.data.validation_file]: formatDocuments(input.dataset.validation),
    'ds_zero2.json': `${JSON.stringify(deepSpeedZero2(settings.training.max_grad_norm), null, 2)}\n`,
  };
  let included = false;
  if (input.base.kind === 'folder' && input.base.files) {
    for (const [name, content] of Object.entries(input.base.files)) {
      if (!BASE_FILES.has(name)) {
        throw new UserFacingError(`"${name}" is not a base model file (expected ${[...BASE_FILES].join(', ')})`);
      }
      files[`${input.base.folder}/${name}`] = content;
    }
    included = true;
  }
  files['README.md'] = recipeReadme(settings, input.dataset.label, included);
  return { settings, folder: `lowrank-recipe-${settings.run_name}`, files };
}

/** The recipe as one zip whose entries sit in its folder ("lowrank-recipe-names/train_lora.py"). */
export function recipeZip(recipe: Recipe): Uint8Array {
  const entries: Record<string, Uint8Array | string> = {};
  for (const [path, content] of Object.entries(recipe.files)) entries[`${recipe.folder}/${path}`] = content;
  return zipFiles(entries);
}
