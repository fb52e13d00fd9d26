import { useId, useState, type DragEvent } from 'react';
import { withCommas } from '../../../../engine/peftLine';
import type { HubBase } from '../../../../engine/session/types';
import { HubPanel } from '../../hub/HubPanel';
import { hubBaseOf, hubCheckpointFiles } from '../../hub/handoff';
import { estimateMemory, sortFiles, type MemoryEstimate } from './byoFiles';
import { loadOwnCheckpoint, type CheckpointFiles } from './loadOwn';
import { formatBytes } from '../../../../engine/format/bytes';
import { errorMessage } from '../../../../engine/types';
import { MAX_CONFIG_BYTES } from '../../../../engine/limits';
import { failIfOtherKind } from '../../../../engine/safetensors';

interface Props {
  /** Called once the learner's model is loaded into the Worker. */
  onLoaded: () => void;
  disabled: boolean;
}

interface Pending {
  files: Record<string, File>;
  estimate: MemoryEstimate;
  name: string;
  /** Set for a model from the Hugging Face Hub. */
  hub?: HubBase;
  /** True once these files are the loaded model. */
  loaded?: boolean;
}

/** Name shown in the UI and written as base_model_name_or_path: config's _name_or_path, else the folder. */
function checkpointName(configText: string, file: File): string {
  try {
    const n = (JSON.parse(configText) as { _name_or_path?: unknown })._name_or_path;
    if (typeof n === 'string' && n.trim()) return n.trim().slice(0, 80);
  } catch {
    // parse errors are reported by estimateMemory
  }
  const dir = file.webkitRelativePath?.split('/').slice(-2, -1)[0];
  return dir || 'my-gpt2';
}

/** "Load your own GPT-2": a file picker and a drop zone for config.json, model.safetensors and tokenizer.json. */
export function ByoModel({ onLoaded, disabled }: Props) {
  const inputId = useId();
  const [pending, setPending] = useState<Pending | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  async function load(p: Pending) {
    setBusy(true);
    setProblem(null);
    try {
      const problem = await loadOwnCheckpoint(p.files as CheckpointFiles, p.name, p.hub);
      if (problem === null) {
        setPending({ ...p, loaded: true });
        onLoaded();
      } else setProblem(problem);
    } catch (e) {
      setProblem(`Could not read the files: ${errorMessage(e)}`);
    } finally {
      setBusy(false);
    }
  }

  async function take(list: FileList | readonly File[] | null, hub?: HubBase) {
    setProblem(null);
    setPending(null);
    if (!list || list.length === 0) return;
    const sorted = sortFiles(Array.from(list));
    if (sorted.missing.length) {
      setProblem(
        `Missing ${sorted.missing.join(', ')}: choose config.json, model.safetensors and tokenizer.json together.`,
      );
      return;
    }
    const files = sorted.byName as Record<string, File>;
    try {
      if (files['config.json'].size > MAX_CONFIG_BYTES)
        throw new Error(`config.json is ${formatBytes(files['config.json'].size)}: is this the right file?`);
      // An LFS pointer or a PyTorch .bin renamed model.safetensors is named from its first bytes.
      failIfOtherKind(new Uint8Array(await files['model.safetensors'].slice(0, 4096).arrayBuffer()));
      const configText = await files['config.json'].text();
      const estimate = estimateMemory(configText, files['model.safetensors'].size);
      const name = hub ? hub.repoId : checkpointName(configText, files['config.json']);
      const p = { files, estimate, name, ...(hub ? { hub } : {}) };
      setPending(p);
      if (!estimate.large) await load(p);
    } catch (e) {
      setProblem(errorMessage(e));
    }
  }

  const setProblemOf = (e: unknown) => setProblem(errorMessage(e));

  function onDrop(e: DragEvent<HTMLDivElement>) {
    e.preventDefault();
    setOver(false);
    if (!disabled) void take(e.dataTransfer.files);
  }

  const est = pending?.estimate;
  return (
    <section className="panel train-panel" aria-labelledby="byo-title">
      <h2 id="byo-title">Load your own GPT-2</h2>
      <div
        className={`train-drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>
          A Hugging Face GPT-2 checkpoint from your disk: <code>config.json</code>, <code>model.safetensors</code> and{' '}
          <code>tokenizer.json</code> (optionally <code>tokenizer_config.json</code>). Choose them together or drop them
          here. They stay on your machine.
        </p>
        <label htmlFor={inputId}>Checkpoint files</label>{' '}
        <input
          id={inputId}
          type="file"
          multiple
          accept=".json,.safetensors"
          disabled={disabled || busy}
          onChange={(e) => void take(e.target.files)}
        />
      </div>
      {est && pending && (
        <div className="train-estimate" data-testid="memory-estimate">
          <p>
            <strong>{pending.name}</strong>: {est.config.n_layer} layers, n_embd {est.config.n_embd},{' '}
            {est.config.n_head} heads, context {est.config.n_positions}, vocabulary {withCommas(est.config.vocab_size)}:{' '}
            {withCommas(est.params)} parameters.
          </p>
          <p>
            Memory (estimate): weights {formatBytes(est.loadedBytes)} once loaded as float32; LoRA training ≈{' '}
            {formatBytes(est.loraTrainingBytes)}; full fine-tuning ≈ {formatBytes(est.fullTrainingBytes)}, plus
            activations.
          </p>
          {pending.loaded && <p className="ok">Loaded: it is now the base model for training.</p>}
          {est.large && !busy && !pending.loaded && (
            <div className="callout callout-warn" role="alert">
              This model needs {formatBytes(est.loadedBytes)} just for its weights: a browser tab may run out of memory,
              and training will be slow without a GPU.{' '}
              <button type="button" onClick={() => void load(pending)}>
                Load anyway
              </button>{' '}
              <button type="button" onClick={() => setPending(null)}>
                Cancel
              </button>
            </div>
          )}
        </div>
      )}
      {busy && <p role="status">Loading {pending?.name ?? 'the checkpoint'} into the training Worker…</p>}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <HubPanel
        embedded
        onModelReady={(f) => void hubCheckpointFiles(f).then((files) => take(files, hubBaseOf(f)), setProblemOf)}
      />
    </section>
  );
}
