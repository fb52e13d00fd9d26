/**
 * #/inspect: drop any LoRA adapter (PEFT, MLX, GGUF, kohya; files, a folder or a zip) and see what
 * is inside from the file alone: format and why, the base it was made for, per-module shapes,
 * scalings and spectra, layers × module-type heatmaps, lints with fixes; convert or shrink it.
 * Reading and analysis run in the inspector's own Worker.
 */
import { useRef, useState } from 'react';
import { errorMessage } from '../../../engine/types';
import type { InspectProgressEvent, InspectResult, PickedAdapterFile } from '../../../worker/inspectWorkerApi';
import { useSection } from '../../currentSection';
import { ConvertPanel } from './ConvertPanel';
import { DropPanel } from './DropPanel';
import { bytesBinary } from './format';
import { HeatmapPanel } from './HeatmapPanel';
import { inspectFiles } from './inspectClient';
import { LintPanel } from './LintPanel';
import { ModuleTable } from './ModuleTable';
import { SpectrumPanel } from './SpectrumPanel';
import { SummaryPanel } from './SummaryPanel';
import './inspect.css';

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; progress: InspectProgressEvent | null }
  | { kind: 'done'; result: InspectResult }
  | { kind: 'error'; message: string };

function progressText(p: InspectProgressEvent | null): string {
  if (!p) return 'Starting…';
  if (p.phase === 'reading') return `Opening ${bytesBinary(p.total)} of adapter files…`;
  // Each module's factors are read from the file as it is analysed.
  return `Reading and analysing module ${p.done} of ${p.total}…`;
}

export default function InspectPage() {
  const section = useSection();
  const [state, setState] = useState<State>({ kind: 'idle' });
  // A newer pick supersedes a running one: only the latest result is shown.
  const latest = useRef(0);

  const run = async (picked: PickedAdapterFile[]) => {
    if (picked.length === 0) return;
    const ticket = ++latest.current;
    // Progress comes through its own message port, so a last event can arrive after the result.
    let finished = false;
    setState({ kind: 'busy', progress: null });
    try {
      const result = await inspectFiles(picked, (progress) => {
        if (!finished && ticket === latest.current) setState({ kind: 'busy', progress });
      });
      finished = true;
      if (ticket === latest.current) setState({ kind: 'done', result });
    } catch (e) {
      finished = true;
      if (ticket === latest.current) setState({ kind: 'error', message: errorMessage(e) });
    }
  };

  const p = state.kind === 'busy' ? state.progress : null;
  return (
    <section aria-labelledby="section-title" className="inspect-page">
      <h1 id="section-title">{section?.title ?? 'Inspect'}: what is inside an adapter</h1>
      <p className="lede">
        Drop a LoRA adapter from any tool (Hugging Face PEFT, MLX, a llama.cpp GGUF, a kohya Stable Diffusion LoRA) and
        see its structure and what it learned, from the file alone: no base model is loaded. Every ΔW = s·B·A is
        analysed from its factors, without ever forming the full matrix. Nothing leaves this tab.
      </p>
      <DropPanel busy={state.kind === 'busy'} onPick={(files) => void run(files)} />
      {state.kind === 'busy' && (
        <div className="inspect-progress" role="status" aria-live="polite">
          <span>{progressText(p)}</span>
          <progress aria-label="inspection progress" max={p?.total || 1} value={p?.total ? p.done : undefined} />
        </div>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="error inspect-error">
          Could not inspect this adapter: {state.message}
        </p>
      )}
      {state.kind === 'done' && <Report result={state.result} />}
    </section>
  );
}

function Report({ result }: { result: InspectResult }) {
  const { report } = result;
  return (
    <>
      <SummaryPanel result={result} />
      <LintPanel lints={report.lints} />
      <HeatmapPanel grid={report.grid} />
      <SpectrumPanel modules={report.modules} />
      <ModuleTable modules={report.modules} />
      <ConvertPanel report={report} />
    </>
  );
}
