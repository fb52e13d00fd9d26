/** Where an adapter comes in: drop files, a folder or a zip, or pick them. */
import { useState, type DragEvent } from 'react';
import { errorMessage } from '../../../engine/types';
import type { PickedAdapterFile } from '../../../worker/inspectWorkerApi';
import { droppedFiles } from '../adapters/readDropped';

interface Props {
  busy: boolean;
  onPick: (files: PickedAdapterFile[]) => void;
}

const fromInput = (list: FileList | null): PickedAdapterFile[] =>
  [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));

export function DropPanel({ busy, onPick }: Props) {
  const [over, setOver] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onDrop = async (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    setError(null);
    if (busy) return;
    try {
      onPick(await droppedFiles(e.dataTransfer));
    } catch (err) {
      setError(`Could not read the dropped files: ${errorMessage(err)}`);
    }
  };

  return (
    <section className="panel" aria-labelledby="inspect-drop-title">
      <h2 id="inspect-drop-title">Drop an adapter</h2>
      <div
        className={`inspect-drop${over ? ' over' : ''}`}
        data-testid="inspect-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <p>
          A PEFT folder or its <span className="mono">adapter_model.safetensors</span> +{' '}
          <span className="mono">adapter_config.json</span>; an MLX <span className="mono">adapters.safetensors</span> +{' '}
          <span className="mono">adapter_config.json</span>; a <span className="mono">.gguf</span> LoRA; a kohya{' '}
          <span className="mono">.safetensors</span>; or a <span className="mono">.zip</span> of any of them.
        </p>
        <div className="controls">
          <label className="file-button">
            <input
              type="file"
              className="sr-only"
              aria-label="Choose adapter files to inspect"
              multiple
              accept=".zip,.safetensors,.json,.gguf,.bin"
              disabled={busy}
              onChange={(e) => {
                onPick(fromInput(e.target.files));
                e.target.value = '';
              }}
            />
            <span aria-hidden="true">Choose files…</span>
          </label>
          <label className="file-button">
            <input
              type="file"
              className="sr-only"
              aria-label="Choose an adapter folder to inspect"
              ref={(el) => {
                if (el) el.webkitdirectory = true;
              }}
              disabled={busy}
              onChange={(e) => {
                onPick(fromInput(e.target.files));
                e.target.value = '';
              }}
            />
            <span aria-hidden="true">Choose a folder…</span>
          </label>
        </div>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className="soft">
        Pickles (<span className="mono">.bin</span>, <span className="mono">.pt</span>) are never opened: unpickling can
        run code. Only safetensors, GGUF and JSON are read, with every size and offset checked first.
      </p>
    </section>
  );
}
