/**
 * Loads checkpoint files picked from disk (or handed on by the Hub panel as Files) as the
 * learner's own base: the one path into the Worker for both, used by the Train page's "Load your
 * own model" section and the Adapters page's base picker. The weights stay File objects that
 * the Worker reads tensor by tensor.
 */
import type { HubBase } from '../../../../engine/session/types';
import { lmState, loadModel, setLmState } from '../../../lm/lmClient';
import { noteHubOrigin } from '../../../recipe/recipeInput';
import { baseFilesOf, sortFiles, type SortedFiles } from './byoFiles';
import { setOwnModel } from './ownModel';

/**
 * Reads the small files and loads the checkpoint into the Worker; on success it becomes the own
 * model (and a Hub base is noted for recipes). Returns null when loaded, else the problem to show
 * beside the files (the previous model stays loaded). Throws when a file cannot be read.
 */
export async function loadOwnCheckpoint(
  files: SortedFiles<File> | readonly File[],
  name: string,
  hub?: HubBase,
): Promise<string | null> {
  const sorted = 'weights' in files ? files : sortFiles(files);
  if (sorted.missing.length) return `Missing ${sorted.missing.join(', ')}.`;
  const base = { ...(await baseFilesOf(name, sorted)), ...(hub ? { hub } : {}) };
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
