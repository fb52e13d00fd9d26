import { useId, useState, type DragEvent } from 'react';
import { withCommas } from '../../../../engine/peftLine';
import type { HubBase } from '../../../../engine/session/types';
import { HubPanel } from '../../hub/HubPanel';
import { hubBaseOf, hubCheckpointFiles } from '../../hub/handoff';
import { inspectCheckpoint, sortFiles, type MemoryEstimate, type SortedFiles } from './byoFiles';
import { loadOwnCheckpoint } from './loadOwn';
import { formatBytes } from '../../../../engine/format/bytes';
import { errorMessage } from '../../../../engine/types';
import { MAX_CONFIG_BYTES } from '../../../../engine/limits';
import { failIfOtherKind } from '../../../../engine/safetensors';
import { RUN_DEFAULTS } from '../../../../engine/session/defaults';

interface Props {
  /** Called once the learner's model is loaded into the Worker. */
  onLoaded: () => void;
  disabled: boolean;
}

interface Pending {
  files: SortedFiles<File>;
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
  return dir || 'my-model';
}

/**
 * "Load your own model": file and folder pickers and a drop zone for a Hugging Face checkpoint of any
 * supported family.
 */
export function ByoModel({ onLoaded, disabled }: Props) {
  const inputId = useId();
  const folderId = useId();
  const [pending, setPending] = useState<Pending | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);

  async function load(p: Pending) {
    setBusy(true);
    setProblem(null);
    try {
      const problem = await loadOwnCheckpoint(p.files, p.name, p.hub);
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
        `Missing ${sorted.missing.join(', ')}: choose config.json, model.safetensors (or its shards with model.safetensors.index.json) and tokenizer.json together.`,
      );
      return;
    }
    const config = sorted.config!;
    try {
      if (config.size > MAX_CONFIG_BYTES)
        throw new Error(`config.json is ${formatBytes(config.size)}: is this the right file?`);
      // An LFS pointer or a PyTorch .bin renamed model.safetensors is named from its first bytes.
      for (const w of sorted.weights) failIfOtherKind(new Uint8Array(await w.slice(0, 4096).arrayBuffer()));
      const configText = await config.text();
      const estimate = await inspectCheckpoint(configText, sorted, await sorted.index?.text());
      const name = hub ? hub.repoId : checkpointName(configText, config);
      const p = { files: sorted, estimate, name, ...(hub ? { hub } : {}) };
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
      <h2 id="byo-title">Load your own model</h2>
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
          A Hugging Face checkpoint of a GPT-2, Llama or Qwen2 model from your disk (SmolLM2, TinyLlama, Qwen2.5…):{' '}
          <code>config.json</code>, <code>model.safetensors</code> (or its <code>model-0000N-of-0000M</code> shards with{' '}
          <code>model.safetensors.index.json</code>) and <code>tokenizer.json</code> (optionally{' '}
          <code>tokenizer_config.json</code>), in F32, F16 or BF16. Choose the folder or the files, or drop them here.
          They stay on your machine, and the weights are read one tensor at a time.
        </p>
        <label htmlFor={inputId}>Checkpoint files</label>{' '}
        <input
          id={inputId}
          type="file"
          multiple
          accept=".json,.safetensors"
          disabled={disabled || busy}
          onChange={(e) => void take(e.target.files)}
        />{' '}
        <label htmlFor={folderId}>Checkpoint folder</label>{' '}
        <input
          id={folderId}
          type="file"
          {...{ webkitdirectory: '' }}
          disabled={disabled || busy}
          onChange={(e) => void take(e.target.files)}
        />
      </div>
      {est && pending && (
        <div className="train-estimate" data-testid="memory-estimate">
          <p>
            <strong>{pending.name}</strong>: {est.familyLabel}, {est.dims.layers} layers, width {est.dims.hidden},{' '}
            {est.dims.heads} heads{est.dims.kvHeads !== est.dims.heads ? ` (${est.dims.kvHeads} key/value heads)` : ''},
            context {withCommas(est.dims.nPositions)}, vocabulary {withCommas(est.dims.vocabSize)}:{' '}
            {withCommas(est.params)} parameters, stored as {est.dtypes.join(' and ')} ({formatBytes(est.fileBytes)}).
          </p>
          <p>
            Memory (estimate): weights {formatBytes(est.loadedBytes)} once loaded as float32; a LoRA step (rank{' '}
            {RUN_DEFAULTS.lora.r} on {est.defaultTargets.join(', ')}, batch {RUN_DEFAULTS.batch} × {RUN_DEFAULTS.seq}) ≈{' '}
            {formatBytes(est.lora.totalBytes)} in all; full fine-tuning ≈ {formatBytes(est.full.totalBytes)}.
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
