import { useMemo } from 'react';
import { formatBytes } from '../../../engine/format/bytes';
import { CLASS_COLORS } from '../../../viz/boundary';
import { LORA_ALPHA, N_TRAIN, N_VALIDATION, TARGETS } from '../../../engine/lab2d/spec';
import { useSection } from '../../currentSection';
import { BoundaryPanel } from './classifier/BoundaryPanel';
import { LabControls } from './classifier/LabControls';
import { LossComparison } from './classifier/LossComparison';
import { RUN_COLORS } from './classifier/runColors';
import { useClassifierLab } from './classifier/useClassifierLab';
import { useLabSettings } from './classifier/useLabSettings';
import './classifier/classifier.css';

const GRID_RES = 48;

/** How full fine-tuning's accuracy compares with LoRA r = 1's, in words, from the live numbers. */
function compare(lora: number, full: number): string {
  const [a, b] = [(100 * lora).toFixed(1), (100 * full).toFixed(1)];
  if (Math.abs(full - lora) < 0.02) return `here it ends up about as accurate (${b} % vs ${a} %)`;
  return full > lora ? `here that buys ${b} % vs ${a} %` : `here it is behind (${b} % vs ${a} %)`;
}

export default function ClassifierLab() {
  const section = useSection();
  const settingsApi = useLabSettings();
  const { settings } = settingsApi;
  const lab = useClassifierLab(settings);
  const snap = lab.snapshot;
  const maxLoss = useMemo(
    () => Math.max(0.1, ...(snap?.runs.flatMap((r) => r.losses.slice(0, 1).map((p) => p.value)) ?? [])),
    [snap],
  );
  const base = snap?.runs[0];
  const r1 = snap?.runs.find((r) => r.id === 'r1');
  const full = snap?.runs.find((r) => r.id === 'full');
  const done = snap !== null && snap.step >= snap.totalSteps;

  return (
    <section aria-labelledby="section-title" className="classifier-lab">
      <h1 id="section-title">{section.title}</h1>
      <p className="lede">
        A small classifier (2 → 32 → 32 → 2, tanh) was pretrained on two moons. Here it is fine-tuned, live on this
        page, onto new data ({TARGETS[settings.target].label}, rotated by θ = {settings.thetaDeg}°) four ways at once:
        LoRA with r = 1, 2 and 4 (α = {LORA_ALPHA}, so s = α/r) and full fine-tuning.
      </p>

      <LabControls api={settingsApi} />
      <div className="controls lab-buttons">
        <button
          type="button"
          className="primary"
          onClick={lab.playing ? lab.pause : lab.play}
          disabled={!snap || (done && !lab.playing)}
          aria-pressed={lab.playing}
        >
          {lab.playing ? 'Pause' : 'Play'}
        </button>
        <button type="button" onClick={lab.step} disabled={!snap || done}>
          Step
        </button>
        <button type="button" onClick={lab.reset} disabled={!snap}>
          Reset
        </button>
        <span className="lab-status mono" aria-live="off">
          step <span data-testid="lab-step">{snap?.step ?? 0}</span> / {settings.totalSteps}
          {snap && snap.msPerStep > 0 && <> · {snap.msPerStep.toFixed(1)} ms per run-step</>} · tensors{' '}
          <span data-testid="tensor-count">{snap?.numTensors ?? '—'}</span>
          {snap && <> · {formatBytes(snap.numBytes)}</>}
        </span>
      </div>

      {lab.error && (
        <p role="alert" className="error">
          {lab.error}
        </p>
      )}
      {!snap && !lab.error && <p role="status">Loading the base model and building the four runs…</p>}

      {snap && lab.points && (
        <>
          <div className="boundary-grid" data-present="lab-boundaries">
            {snap.runs.map((run) => (
              <BoundaryPanel
                key={run.id}
                run={run}
                res={GRID_RES}
                points={lab.points!}
                totalSteps={snap.totalSteps}
                maxLoss={maxLoss}
                color={RUN_COLORS[run.id]}
                baseAccuracy={base!.accuracy}
              />
            ))}
          </div>
          <p className="boundary-legend">
            <span className="swatch swatch-0" style={{ background: CLASS_COLORS[0] }} aria-hidden="true" /> class 0
            (circles) · <span className="swatch swatch-1" style={{ background: CLASS_COLORS[1] }} aria-hidden="true" />{' '}
            class 1 (squares) · background: the model’s probability of each class, pale where it is unsure; the dark
            line is where both are 50 %. Points: the {N_TRAIN} training points; accuracy is measured on {N_VALIDATION}{' '}
            held-out points from the same distribution.
          </p>

          <h2>What you see</h2>
          <p className="lab-explain" data-testid="lab-explain">
            The base model’s boundary still follows the old moons, so it gets {(100 * base!.accuracy).toFixed(0)} % of
            the new points right. LoRA at r = 1 trains only {r1?.params.trainable} numbers (a rank-1 update s·B·A per
            layer, with W₀ frozen)
            {r1 && r1.steps > 0 ? (
              <>
                , and after {r1.steps} steps it is at {(100 * r1.accuracy).toFixed(0)} %
              </>
            ) : null}
            {r1 && r1.steps > 0 && r1.accuracy - base!.accuracy < 0.2
              ? '; with these settings that is not enough yet.'
              : ': one direction per layer is enough to move the boundary.'}{' '}
            Full fine-tuning updates all {full?.params.trainable.toLocaleString('en')} weights and biases and keeps Adam
            state for every one of them
            {r1 && full && full.steps > 0 ? <>; {compare(r1.accuracy, full.accuracy)}</> : null}.
          </p>

          <LossComparison snapshot={snap} />
        </>
      )}
    </section>
  );
}
