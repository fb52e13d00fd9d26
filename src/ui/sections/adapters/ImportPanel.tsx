/**
 * Import a PEFT adapter onto the loaded base: drop a zip, the two files or a folder, or pick them.
 * The Worker checks every tensor against the base before anything changes; its message is shown
 * as it is, and the list is re-read afterwards either way.
 */
import { useId, useState, type DragEvent } from 'react';
import { droppedFiles, readPicked, suggestedName, type PickedFile } from './readDropped';
import { type Workspace } from './useWorkspace';
import { errorMessage } from '../../../engine/types';

interface Outcome {
  name: string;
  warnings: string[];
}

export function ImportPanel({ ws }: { ws: Workspace }) {
  const [over, setOver] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [nameOverride, setNameOverride] = useState('');
  const id = useId();
  const disabled = ws.busy !== null || ws.lm.training || !ws.lm.model;

  const importPicked = async (picked: PickedFile[]) => {
    setError(null);
    setOutcome(null);
    if (picked.length === 0) return;
    try {
      const source = await readPicked(picked);
      const name = nameOverride.trim() || suggestedName(picked);
      const res = await ws.run(`Importing ${name}…`, (api) =>
        api.workspace.importAdapterFiles(name, source.kind === 'zip' ? source.bytes : source.files),
      );
      setOutcome(res);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const onDrop = async (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    if (disabled) return;
    try {
      await importPicked(await droppedFiles(e.dataTransfer));
    } catch (err) {
      setError(`Could not read the dropped files: ${errorMessage(err)}`);
    }
  };

  const fromInput = (list: FileList | null) =>
    [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));

  return (
    <section className="panel" aria-labelledby="import-title">
      <h2 id="import-title">Import a PEFT adapter</h2>
      <div
        className={`dropzone${over ? ' over' : ''}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <p>
          Drop a <span className="mono">.zip</span>, the files <span className="mono">adapter_model.safetensors</span> +{' '}
          <span className="mono">adapter_config.json</span>, or their folder here.
        </p>
        <div className="controls">
          <label className="file-button">
            <input
              type="file"
              className="sr-only"
              aria-label="Choose adapter files (.zip or the two files)"
              multiple
              accept=".zip,.safetensors,.json,application/zip"
              disabled={disabled}
              onChange={(e) => {
                void importPicked(fromInput(e.target.files));
                e.target.value = '';
              }}
            />
            <span aria-hidden="true">Choose files…</span>
          </label>
          <label className="file-button">
            <input
              type="file"
              className="sr-only"
              aria-label="Choose an adapter folder"
              ref={(el) => {
                if (el) el.webkitdirectory = true;
              }}
              disabled={disabled}
              onChange={(e) => {
                void importPicked(fromInput(e.target.files));
                e.target.value = '';
              }}
            />
            <span aria-hidden="true">Choose a folder…</span>
          </label>
          <label htmlFor={`${id}-name`}>import as</label>
          <input
            id={`${id}-name`}
            className="mono name-input"
            placeholder="from the file name"
            value={nameOverride}
            onChange={(e) => setNameOverride(e.target.value)}
          />
        </div>
      </div>
      {error && (
        <p role="alert" className="error import-error">
          Import failed: {error}
        </p>
      )}
      {outcome && (
        <div role="status">
          <p className="ok">
            Imported <span className="mono">{outcome.name}</span> and made it active.
          </p>
          {outcome.warnings.length > 0 && (
            <ul className="warnings" aria-label="import warnings">
              {outcome.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      <p className="soft">
        Only safetensors are read. A PyTorch <span className="mono">adapter_model.bin</span> is never opened (unpickling
        can run code): convert it with PEFT first. Nothing is uploaded; the files stay in this tab and in this browser’s
        storage.
      </p>
    </section>
  );
}
