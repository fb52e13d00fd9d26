import type { BackendInfo } from '../../../../engine/backend';
import { formatBytes } from '../../../../engine/format/bytes';
import { pauseRun, resumeRun, stopRun, type RunView } from './runStore';
import { formatTokensPerSec, SPEED_NOTE } from './speed';

interface Props {
  view: RunView;
  backend: BackendInfo | null;
  /** Why a run cannot start now (null: it can). */
  blocked: string | null;
  onStart: () => void;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '–';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/** "webgpu · nvidia ampere", or the name plus why faster ones were skipped (no tfjs import here). */
function describeWorkerBackend(info: BackendInfo): string {
  const head = info.adapter ? `${info.name} · ${info.adapter.vendor} ${info.adapter.architecture}`.trim() : info.name;
  const why = info.skipped[0];
  return why && !info.forced ? `${head} (${why.reason})` : info.forced ? `${head} (set by ?backend=)` : head;
}

const ACTIVE = new Set(['starting', 'running', 'pausing', 'paused', 'stopping']);

/** Start / Pause / Resume / Stop, the progress bar with ETA, and the speed and memory readouts. */
export function RunControls({ view: v, backend, blocked, onStart }: Props) {
  const active = ACTIVE.has(v.status);
  const pct = v.totalSteps ? Math.round((100 * v.step) / v.totalSteps) : 0;
  // ETA from the wall time per step since the warm-up step (evaluations and samples included).
  const perStep =
    v.firstStepAt !== null && v.lastStepAt !== null && v.step > 1
      ? (v.lastStepAt - v.firstStepAt) / (v.step - 1)
      : null;
  const eta = perStep !== null && v.status === 'running' ? ((v.totalSteps - v.step) * perStep) / 1000 : null;
  const statusText: Record<RunView['status'], string> = {
    idle: 'Ready.',
    starting: 'Starting: measuring the base model’s validation loss and first samples…',
    running: `Training (${v.mode === 'full' ? 'full fine-tuning' : 'LoRA'})…`,
    pausing: 'Pausing after the current step…',
    paused: 'Paused.',
    stopping: 'Stopping: final evaluation and samples…',
    done: v.result
      ? `Finished: ${v.result.outcome}, ${v.result.steps} steps in ${formatSeconds(v.result.wallMs / 1000)}.`
      : 'Finished.',
    error: 'The run failed.',
  };
  return (
    <div className="train-run">
      <div className="train-buttons">
        <button type="button" className="primary" onClick={onStart} disabled={active || blocked !== null}>
          Start training
        </button>
        {v.status === 'paused' || v.status === 'pausing' ? (
          <button type="button" onClick={() => void resumeRun()}>
            Resume
          </button>
        ) : (
          <button type="button" onClick={() => void pauseRun()} disabled={v.status !== 'running'}>
            Pause
          </button>
        )}
        <button
          type="button"
          onClick={() => void stopRun()}
          disabled={!['running', 'paused', 'pausing'].includes(v.status)}
        >
          Stop
        </button>
        <span role="status" className="train-status" data-status={v.status}>
          {statusText[v.status]}
        </span>
      </div>
      {blocked && !active && <p className="train-hint">{blocked}</p>}
      {v.message && (
        <p className="error" role="alert">
          {v.message}
        </p>
      )}
      <div className="train-progress-row">
        <div
          className="train-progress"
          role="progressbar"
          aria-label="Training progress"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-valuetext={`${pct} %: step ${v.step} of ${v.totalSteps}`}
        >
          <div className="train-progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <span className="mono" data-testid="step-count">
          step {v.step} / {v.totalSteps || '–'}
        </span>
        <span className="mono">{eta !== null ? `ETA ${formatSeconds(eta)}` : ''}</span>
      </div>
      <dl className="train-stats">
        <div>
          <dt>steps/s (median after warm-up)</dt>
          <dd className="mono" data-testid="panel-steps-per-sec">
            {v.warmMsPerStep ? (1000 / v.warmMsPerStep).toFixed(2) : '–'}
          </dd>
        </div>
        <div>
          <dt>tokens/s (median after warm-up)</dt>
          <dd className="mono" data-testid="panel-tokens-per-sec">
            {v.tokensPerSec ? formatTokensPerSec(v.tokensPerSec) : '–'}
          </dd>
        </div>
        <div>
          <dt>ms/step (median after warm-up)</dt>
          <dd className="mono" data-testid="panel-ms-per-step">
            {v.warmMsPerStep ? v.warmMsPerStep.toFixed(0) : '–'}
          </dd>
        </div>
        <div>
          <dt>first step (warm-up)</dt>
          <dd className="mono">{v.firstStepMs ? `${v.firstStepMs.toFixed(0)} ms` : '–'}</dd>
        </div>
        <div>
          <dt>tensors in use</dt>
          <dd className="mono">{v.numTensors ?? '–'}</dd>
        </div>
        <div>
          <dt>bytes in use</dt>
          <dd className="mono">{v.numBytes !== null ? formatBytes(v.numBytes) : '–'}</dd>
        </div>
        <div className="train-backend">
          <dt>backend (training Worker)</dt>
          <dd className="mono" data-testid="worker-backend">
            {backend ? describeWorkerBackend(backend) : 'starting…'}
          </dd>
        </div>
      </dl>
      <p className="train-hint">{SPEED_NOTE}</p>
    </div>
  );
}
