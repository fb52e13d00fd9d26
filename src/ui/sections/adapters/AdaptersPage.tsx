/**
 * #/adapters: the adapters kept over the one loaded base. List, swap, compare, merge, mix, export,
 * import, and what it all costs in memory and in browser storage.
 */
import { useSection } from '../../currentSection';
import { AdapterList } from './AdapterList';
import { BasePicker } from './BasePicker';
import { ComparePanel } from './ComparePanel';
import { ExportPanel } from './ExportPanel';
import { ImportPanel } from './ImportPanel';
import { MemoryPanel } from './MemoryPanel';
import { MergePanel } from './MergePanel';
import { MixPanel } from './MixPanel';
import { useWorkspace } from './useWorkspace';
import './adapters.css';

export default function AdaptersPage() {
  const section = useSection();
  const ws = useWorkspace();
  const { model, loading, error, backend, training } = ws.lm;
  return (
    <section aria-labelledby="section-title" className="adapters-page">
      <h1 id="section-title">{section.title}: one base, many adapters</h1>
      <p className="lede">
        Every adapter here shares the same frozen base. Activating one only changes which A and B the layers add; export
        them as Hugging Face PEFT files, import others, merge, mix, and keep them in this browser.
      </p>
      <p className="status-line" role="status" aria-live="polite">
        {model ? (
          <>
            Base: <strong className="mono">{model.name}</strong> ({model.familyLabel}, {model.dims.layers} layers, width{' '}
            {model.dims.hidden}, {model.tokenizer} tokenizer){backend ? ` on ${backend.name}` : ''}.
          </>
        ) : loading ? (
          <>Loading {loading}…</>
        ) : error ? null : (
          <>Starting the model Worker…</>
        )}
        {training && <> A training run owns the model: changes wait until it ends.</>}
        {ws.busy && <span className="busy"> {ws.busy}</span>}
        {ws.storage.restored.length > 0 && (
          <span> Restored from browser storage: {ws.storage.restored.map((n) => n).join(', ')}.</span>
        )}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {model && (
        <>
          <AdapterList ws={ws} />
          <div className="adapters-grid">
            <ImportPanel ws={ws} />
            <ExportPanel ws={ws} />
            <ComparePanel ws={ws} />
            <MergePanel ws={ws} />
            <MixPanel ws={ws} />
            <MemoryPanel ws={ws} />
          </div>
        </>
      )}
      <BasePicker ws={ws} />
    </section>
  );
}
