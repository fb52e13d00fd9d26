/**
 * Pieces every paper-lab view shares: the sweep's progress with its cancel button, the "keep as
 * adapter" cell of a result row, pickers for an adapter and a module, and a width-tracking box for
 * charts drawn at their real size.
 */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../../../engine/types';
import type { PlannedRun } from '../../../engine/paper/sweeps';
import type { LabRun, SweepKind } from '../../../worker/lmWorkerApi';
import type { SetSetting } from '../../urlSchema';
import { formatDuration, sweepFraction } from './labFormat';
import { keepRun, stopSweep, type LabState } from './labStore';
import type { LabSettings } from './labSettings';

/** What the page hands every view. */
export interface LabViewProps {
  s: LabSettings;
  set: SetSetting<LabSettings>;
  lab: LabState;
  /** Train these runs as one sweep (in the Worker, one after the other). */
  run: (kind: SweepKind, planned: PlannedRun[]) => void;
  /** True while a sweep or a Train-page run owns the Worker. */
  disabled: boolean;
}

/** The sweep in progress (which run, its step, the whole sweep), or how the last one ended. */
export function SweepProgress({ lab }: { lab: LabState }) {
  const p = lab.progress;
  if (lab.status === 'idle' || !p) {
    return lab.message ? (
      <p className={lab.failed ? 'error' : 'paper-outcome'} role={lab.failed ? 'alert' : 'status'}>
        {lab.message}
      </p>
    ) : null;
  }
  const frac = sweepFraction(p);
  const stepsLeft = (p.total - p.index) * p.totalSteps - p.step;
  const left = lab.msPerStep !== null && p.step > 0 ? formatDuration((stepsLeft * lab.msPerStep) / 1000) : null;
  return (
    <div className="paper-progress" data-testid="sweep-progress">
      <p role="status">
        Run {p.index + 1} of {p.total}: <strong>{p.label}</strong>
        {lab.status === 'stopping' ? ' (stopping…)' : ''}
      </p>
      <p className="mono">
        step {p.step} of {p.totalSteps} · sweep {Math.round(100 * frac)} % done{left ? ` · about ${left} left` : ''}
      </p>
      <progress max={1} value={frac} aria-label="Sweep progress" />
      <button type="button" onClick={() => void stopSweep()} disabled={lab.status === 'stopping'}>
        Cancel the sweep
      </button>
      <span className="train-hint"> Finished runs stay; the one in progress is dropped.</span>
    </div>
  );
}

/** "Keep" for a lab run, or where it was kept. */
export function KeepCell({ run }: { run: LabRun }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (run.kept)
    return (
      <a href="#/adapters" aria-label={`${run.name} kept as adapter ${run.kept}: open Adapters`}>
        kept as {run.kept}
      </a>
    );
  return (
    <>
      <button
        type="button"
        disabled={busy}
        aria-label={`Keep ${run.name} as an adapter`}
        onClick={() => {
          setBusy(true);
          setError(null);
          keepRun(run.name)
            .catch((e: unknown) => setError(errorMessage(e)))
            .finally(() => setBusy(false));
        }}
      >
        Keep
      </button>
      {error && (
        <span className="error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </>
  );
}

/** A labelled select of names; `value` not among `options` shows as "(none)". */
export function NamePicker({
  label,
  value,
  options,
  onChange,
  format = (v) => v,
}: {
  label: string;
  value: string;
  options: readonly string[];
  onChange: (v: string) => void;
  format?: (v: string) => string;
}) {
  const id = useId();
  return (
    <span className="train-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={options.includes(value) ? value : ''} onChange={(e) => onChange(e.target.value)}>
        {!options.includes(value) && <option value="">(none)</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {format(o)}
          </option>
        ))}
      </select>
    </span>
  );
}

/** A box that reports its content width (clamped), so charts draw at their real size. */
export function WidthBox({
  children,
  min = 300,
  max = 960,
}: {
  children: (width: number) => ReactNode;
  min?: number;
  max?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) =>
      setWidth(Math.round(Math.min(max, Math.max(min, entry.contentRect.width)))),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, [min, max]);
  return (
    <div ref={box} className="paper-width">
      {children(width)}
    </div>
  );
}

/** The summariser's sentences: the headline, further facts, and how it compares with the paper. */
export function SummaryText({
  summary,
  testId,
}: {
  summary: { headline: string; details: string[]; paper: string | null };
  testId: string;
}) {
  return (
    <div className="paper-summary" data-testid={testId}>
      <p>
        <strong>{summary.headline}</strong>
      </p>
      {summary.details.length > 0 && (
        <ul>
          {summary.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {summary.paper && <p className="paper-vs">{summary.paper}</p>}
    </div>
  );
}
