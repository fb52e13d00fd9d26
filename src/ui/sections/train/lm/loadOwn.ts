/**
 * Loads checkpoint files picked from disk (or handed on by the Hub panel as Files) as the
 * learner's own base: the one path into the Worker for both, used by the Train page's "Load your
 * own" section and the Adapters page's base picker.
 */
import type { BaseFiles, HubBase } from '../../../../engine/session/types';
import { lmState, loadModel, setLmState } from '../../../lm/lmClient';
import { noteHubOrigin } from '../../../recipe/recipeInput';
import { setOwnModel } from './ownModel';

export type CheckpointFiles = Record<'config.json' | 'model.safetensors' | 'tokenizer.json', File>;

/**
 * Reads the files and loads them into the Worker; on success they become the own model (and a Hub
 * base is noted for recipes). Returns null when loaded, else the problem to show beside the files
 * (the previous model stays loaded). Throws when a file cannot be read.
 */
export async function loadOwnCheckpoint(files: CheckpointFiles, name: string, hub?: HubBase): Promise<string | null> {
  const [weights, tokenizer, config] = await Promise.all([
    files['model.safetensors'].arrayBuffer(),
    files['tokenizer.json'].text(),
    files['config.json'].text(),
  ]);
  const base: BaseFiles = { name, config, weights: new Uint8Array(weights), tokenizer, ...(hub ? { hub } : {}) };
  if (await loadModel(base)) {
    setOwnModel(base);
    if (hub) noteHubOrigin(name, { repoId: hub.repoId, revision: hub.revision });
    return null;
  }
  // Said beside the files, rather than at the top of the page.
  const { error, model } = lmState();
  setLmState({ error: null });
  return `${error ?? `Could not load ${name}.`}${model ? ` The previous model (${model.name}) is still loaded and usable.` : ''}`;
}
