/**
 * Downloads: an adapter as PEFT files (one zip, or each file), base + adapter in one zip when the
 * base is not on the Hub, the base in Hugging Face GPT-2 form, and the base with the active adapter
 * merged in. Shows the Python that loads them, with a copy button.
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

import {
  ADAPTER_FILES,
  adapterZipName,
  localBaseFolder,
  togetherZipName,
  zipEntries,
  type AdapterFileName,
} from './exportZips';

/** For a base from the Hub, the card's `PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(…), …)`. */
export function hubLine(python: string): string | null {
  return (
    /^model = (PeftModel\.from_pretrained\(AutoModelForCausalLM\.from_pretrained\(.*\))$/m.exec(python)?.[1] ?? null
  );
}

/** The ```python block of the model card (what PEFT users run), or null. */
export function pythonFromReadme(readme: string): string | null {
  const m = /```python\n([\s\S]*?)```/.exec(readme);
  return m ? m[1].trimEnd() : null;
}

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
  // A base that is not on the Hub is loaded from a folder beside the adapter ("Export base model" writes it).
  const baseFolder = model ? localBaseFolder(model) : undefined;

  // The snippet comes from the README.md the export writes, so it always matches the download.
  useEffect(() => {
    if (!name || ws.lm.training) return;
    let stale = false;
    void lmWorker()
      .then((api) => api.workspace.exportAdapterFiles(name, { baseFolder }))
      .then((files) => !stale && setPython({ name, code: pythonFromReadme(files['README.md']) ?? '' }))
      .catch(() => undefined); // an error here shows when the user exports
    return () => {
      stale = true;
    };
  }, [name, ws.lm.training, baseFolder]);

  const exportAdapter = async (only?: AdapterFileName) => {
    if (!name) return;
    setError(null);
    try {
      await ws.run(`Exporting ${name}…`, async (api) => {
        const files = await api.workspace.exportAdapterFiles(name, { baseFolder });
        if (only) {
          downloadFile(only, files[only]);
          if (only === 'adapter_model.safetensors') markMilestone('downloaded', only);
          setDone(`Saved ${only} of ${name}.`);
        } else {
          const zip = zipFiles(zipEntries(name, files));
          downloadFile(adapterZipName(name), zip);
          markMilestone('downloaded', adapterZipName(name));
          setDone(`Saved ${adapterZipName(name)} (${formatBytes(zip.byteLength)}).`);
        }
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  // The base (as "Export base model" writes it) and the adapter in one zip: PEFT loads it as is.
  const exportTogether = async () => {
    if (!name || !baseFolder) return;
    setError(null);
    try {
      await ws.run(`Exporting ${name} with its base…`, async (api) => {
        const files = await api.workspace.exportAdapterFiles(name, { baseFolder });
        const base = await api.workspace.exportBaseFiles(false);
        const zip = zipFiles(zipEntries(name, files, { folder: baseFolder, files: base }));
        downloadFile(togetherZipName(name), zip);
        markMilestone('downloaded', togetherZipName(name));
        setDone(`Saved ${togetherZipName(name)} (${formatBytes(zip.byteLength)}).`);
      });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const copyPython = async (code: string) => {
    setError(null);
    try {
      await navigator.clipboard.writeText(code);
      setDone('Copied the Python.');
    } catch {
      setError('The browser did not allow copying: select the code and copy it by hand.');
    }
  };

  const exportBase = async (merged: boolean) => {
    if (!model) return;
    setError(null);
    try {
      await ws.run(merged ? 'Exporting the merged model…' : 'Exporting the base model…', async (api) => {
        const files = await api.workspace.exportBaseFiles(merged);
        const folder = merged && active ? `${model.name}-merged-${active.name}` : (baseFolder ?? `${model.name}-base`);
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
            {baseFolder && (
              <button disabled={disabled} onClick={() => void exportTogether()}>
                Download base + adapter together ({togetherZipName(name)})
              </button>
            )}
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
          <p className="controls">
            <button onClick={() => void copyPython(python.code)}>Copy the Python</button>
            {hubLine(python.code) && (
              <button onClick={() => void copyPython(hubLine(python.code)!)}>Copy the one-line loader</button>
            )}
          </p>
          <pre className="code" aria-label="Python to load the adapter">
            <code>{python.code}</code>
          </pre>
          <p className="soft">
            {baseFolder ? (
              <>
                Unzip {togetherZipName(name)} and run this in the folder it unpacks to: it holds {baseFolder}/ (the
                base) and {name}/ (the adapter). With {adapterZipName(name)} alone, unzip the base from “Export base
                model” beside it.
              </>
            ) : (
              <>
                Unzip {adapterZipName(name)} and run this in the folder that holds {name}/: transformers downloads the
                base, {model?.hub?.repoId}
                {model?.hub && model.hub.revision !== 'main' ? ` at ${model.hub.revision}` : ''}, from the Hugging Face
                Hub by its id, as adapter_config.json names it.
              </>
            )}
          </p>
        </>
      )}
    </section>
  );
}
