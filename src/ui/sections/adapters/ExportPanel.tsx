/**
 * Downloads: an adapter as PEFT files (one zip, or each file), the base in Hugging Face GPT-2 form,
 * and the base with the active adapter merged in. Shows the Python that loads them.
 */
import { useEffect, useId, useState } from 'react';
import { zipFiles } from '../../../engine/zip';
import { downloadFile } from '../../download';
import { lmWorker } from '../../lm/lmClient';
import { stringCodec, useParam } from '../../urlState';
import { formatBytes } from './format';
import { activeAdapter, type Workspace } from './useWorkspace';
import { errorMessage } from '../../../engine/types';
import { markMilestone } from '../../storage/milestones';

const ADAPTER_FILES = ['adapter_model.safetensors', 'adapter_config.json', 'README.md'] as const;
type AdapterFileName = (typeof ADAPTER_FILES)[number];

/** The ```python block of the model card (what PEFT users run), or null. */
export function pythonFromReadme(readme: string): string | null {
  const m = /```python\n([\s\S]*?)```/.exec(readme);
  return m ? m[1].trimEnd() : null;
}

/** The zip's file name for an adapter: `<adapter>-peft-adapter.zip`. */
export const adapterZipName = (adapter: string): string => `${adapter}-peft-adapter.zip`;

export function ExportPanel({ ws }: { ws: Workspace }) {
  const { adapters, model } = ws.lm;
  const [picked, setPicked] = useParam('export', '', stringCodec);
  const [python, setPython] = useState<{ name: string; code: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = useId();
  const name = adapters.some((a) => a.name === picked)
    ? picked
    : (activeAdapter(adapters)?.name ?? adapters[0]?.name ?? null);
  const active = activeAdapter(adapters);
  const disabled = ws.busy !== null || ws.lm.training;

  // The snippet comes from the README.md the export writes, so it always matches the download.
  useEffect(() => {
    if (!name || ws.lm.training) return;
    let stale = false;
    void lmWorker()
      .then((api) => api.workspace.exportAdapterFiles(name, {}))
      .then((files) => !stale && setPython({ name, code: pythonFromReadme(files['README.md']) ?? '' }))
      .catch(() => undefined); // an error here shows when the user exports
    return () => {
      stale = true;
    };
  }, [name, ws.lm.training]);

  const exportAdapter = async (only?: AdapterFileName) => {
    if (!name) return;
    setError(null);
    try {
      await ws.run(`Exporting ${name}…`, async (api) => {
        const files = await api.workspace.exportAdapterFiles(name, {});
        if (only) {
          downloadFile(only, files[only]);
          if (only === 'adapter_model.safetensors') markMilestone('downloaded', only);
          setDone(`Saved ${only} of ${name}.`);
        } else {
          const zip = zipFiles(Object.fromEntries(ADAPTER_FILES.map((f) => [`${name}/${f}`, files[f]])));
          downloadFile(adapterZipName(name), zip);
          markMilestone('downloaded', adapterZipName(name));
          setDone(`Saved ${adapterZipName(name)} (${formatBytes(zip.byteLength)}).`);
        }
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const exportBase = async (merged: boolean) => {
    if (!model) return;
    setError(null);
    try {
      await ws.run(merged ? 'Exporting the merged model…' : 'Exporting the base model…', async (api) => {
        const files = await api.workspace.exportBaseFiles(merged);
        const folder = merged && active ? `${model.name}-merged-${active.name}` : `${model.name}-base`;
        const zip = zipFiles({
          [`${folder}/config.json`]: files['config.json'],
          [`${folder}/model.safetensors`]: files['model.safetensors'],
          [`${folder}/tokenizer.json`]: files['tokenizer.json'],
        });
        downloadFile(`${folder}.zip`, zip);
        setDone(`Saved ${folder}.zip (${formatBytes(zip.byteLength)}).`);
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      {name ? (
        <>
          <div className="controls">
            <label htmlFor={`${id}-adapter`}>adapter</label>
            <select id={`${id}-adapter`} value={name} onChange={(e) => setPicked(e.target.value)}>
              {adapters.map((a) => (
                <option key={a.name} value={a.name}>
                  {a.name}
                </option>
              ))}
            </select>
            <button className="primary" disabled={disabled} onClick={() => void exportAdapter()}>
              Download {adapterZipName(name)}
            </button>
          </div>
          <p className="controls" aria-label="separate files">
            <span className="soft">or each file:</span>
            {ADAPTER_FILES.map((f) => (
              <button key={f} disabled={disabled} onClick={() => void exportAdapter(f)}>
                {f}
              </button>
            ))}
          </p>
        </>
      ) : (
        <p>No adapter to export yet.</p>
      )}
      <p className="controls">
        <button disabled={disabled || !model} onClick={() => void exportBase(false)}>
          Export base model
        </button>
        <button
          disabled={disabled || !model || !active}
          onClick={() => void exportBase(true)}
          title={active ? undefined : 'Activate an adapter to merge it'}
        >
          Export merged model{active ? ` (${active.name} folded in)` : ''}
        </button>
        <span className="soft">Hugging Face GPT-2 files: config.json, model.safetensors, tokenizer.json.</span>
      </p>
      {done && (
        <p role="status" className="ok">
          {done}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {python && python.name === name && python.code && (
        <>
          <h3>Load it in Python (from the adapter’s README.md)</h3>
          <pre className="code" aria-label="Python to load the adapter">
            <code>{python.code}</code>
          </pre>
          <p className="soft">
            Unzip the adapter to a folder and pass its path. For the base, pass the unzipped base folder instead of the
            name; transformers reads config.json and model.safetensors from it.
          </p>
        </>
      )}
    </section>
  );
}
