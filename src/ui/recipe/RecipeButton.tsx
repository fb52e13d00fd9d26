/**
 * "Download a PEFT + Accelerate recipe": the run as a zip with train_lora.py, pinned
 * requirements, the training and validation documents exactly as split here, the base (its Hub id,
 * or its files), a DeepSpeed ZeRO-2 config and a README (engine/recipe). Built on the page: the
 * recipe code loads only when the button is pressed.
 */
import { useState } from 'react';
import type { ModelSummary } from '../../engine/session/types';
import { errorMessage } from '../../engine/types';
import { downloadFile } from '../download';
import { currentTokenizerJson, fetchShippedModelFiles, lmWorker, SHIPPED_MODEL, useLm } from '../lm/lmClient';
import { tokenizerFor } from '../sections/train/lm/datasets';
import { ownModel } from '../sections/train/lm/ownModel';
import { chooseRecipeBase, hubOriginOf, recipeInputFor, type RecipeRun } from './recipeInput';

interface Props {
  /** The run to write out, gathered when the button is pressed. */
  run: () => Promise<RecipeRun>;
  /** Why there is nothing to download now, or null. */
  blocked: string | null;
}

/**
 * The base's files for the recipe folder: the shipped model's, the learner's own, else an export of the
 * loaded base.
 */
async function baseFilesOf(model: ModelSummary) {
  if (hubOriginOf(model.name)) return null;
  if (model.name === SHIPPED_MODEL.name) return fetchShippedModelFiles();
  const own = ownModel();
  if (own?.name === model.name) return own;
  const f = await (await lmWorker()).workspace.exportBaseFiles(false);
  return { config: f['config.json'], weights: f['model.safetensors'], tokenizer: f['tokenizer.json'] };
}

export function RecipeButton({ run, blocked }: Props) {
  const lm = useLm();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  const model = lm.model;
  const why = blocked ?? (model ? null : 'No base model is loaded yet.');

  async function download() {
    if (!model) return;
    setBusy(true);
    setNote(null);
    try {
      const [{ buildRecipe, recipeZip }, source] = await Promise.all([import('../../engine/recipe/recipe'), run()]);
      const json = currentTokenizerJson();
      if (!json) throw new Error('the loaded model has no tokenizer yet');
      const tokenizer = await tokenizerFor(json);
      const eot = { token: tokenizer.idToToken(tokenizer.endOfTextId) ?? '', id: tokenizer.endOfTextId };
      const base = chooseRecipeBase(model.name, hubOriginOf(model.name), await baseFilesOf(model));
      const recipe = buildRecipe(recipeInputFor(source, model, base, eot));
      const file = `${recipe.folder}.zip`;
      downloadFile(file, recipeZip(recipe));
      const where = base.kind === 'hub' ? `the Hub id ${base.repoId}` : `the base model's files (${model.name})`;
      setNote({
        text: `Downloaded ${file}: train_lora.py, requirements.txt, the ${source.dataset.train.length.toLocaleString('en-US')} training and ${source.dataset.validation.length.toLocaleString('en-US')} validation documents, ${where}, and a README with accelerate launch for one GPU, several GPUs and several machines.`,
        error: false,
      });
    } catch (e) {
      setNote({ text: `Could not build the recipe: ${errorMessage(e)}`, error: true });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="recipe-button">
      <button type="button" onClick={() => void download()} disabled={busy || why !== null}>
        {busy ? 'Building the recipe…' : 'Download a PEFT + Accelerate recipe'}
      </button>
      {why && <p className="train-hint">{why}</p>}
      {note && (
        <p className={note.error ? 'error' : 'train-hint'} role={note.error ? 'alert' : 'status'}>
          {note.text}
        </p>
      )}
    </div>
  );
}
