/**
 * The Adapters page's base picker: the base every adapter here sits on, and a model from the
 * Hugging Face Hub to load instead (through the same loader as files picked on the Train page).
 */
import { useState } from 'react';
import type { HubModelFiles } from '../../../engine/hub/files';
import { errorMessage } from '../../../engine/types';
import { HubPanel } from '../hub/HubPanel';
import { hubBaseOf, hubCheckpointFiles } from '../hub/handoff';
import { loadOwnCheckpoint } from '../train/lm/loadOwn';
import type { Workspace } from './useWorkspace';

export function BasePicker({ ws }: { ws: Workspace }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<string | null>(null);
  const { model, loading, training } = ws.lm;

  async function use(f: HubModelFiles) {
    setProblem(null);
    setLoaded(null);
    try {
      const why = await loadOwnCheckpoint(await hubCheckpointFiles(f), f.repo, hubBaseOf(f));
      if (why === null) setLoaded(f.repo);
      else setProblem(why);
    } catch (e) {
      setProblem(`Could not read ${f.repo} from browser storage: ${errorMessage(e)}`);
    }
  }

  return (
    <section className="panel" aria-labelledby="base-picker-title">
      <h2 id="base-picker-title">Base model</h2>
      <p>
        {model ? (
          <>
            The adapters here sit on <strong className="mono">{model.name}</strong>. Loading another base replaces it;
            adapters kept in this browser come back when their base is loaded again.
          </>
        ) : (
          'No base model is loaded yet.'
        )}
      </p>
      {training && <p className="soft">A training run owns the model: a new base can load once it ends.</p>}
      {loading && <p role="status">Loading {loading} into the training Worker…</p>}
      {loaded && model?.name === loaded && (
        <p className="ok">
          {loaded} is loaded: train an adapter on it on the <a href="#/train?base=own">Train</a> page.
        </p>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <HubPanel embedded onModelReady={(f) => void use(f)} />
    </section>
  );
}
