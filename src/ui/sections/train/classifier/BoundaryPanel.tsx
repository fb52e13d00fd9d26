import type { RunSnapshot } from '../../../../engine/lab2d/lab';
import { EXTENT } from '../../../../engine/lab2d/spec';
import { withCommas } from '../../../../engine/peftLine';
import { renderBoundary } from '../../../../viz/boundary';
import { renderBoundaryLoss } from '../../../../viz/boundaryLoss';
import { useD3 } from '../../../components/useD3';

export interface BoundaryPanelProps {
  run: RunSnapshot;
  res: number;
  points: { x: Float32Array; y: Int32Array; n: number };
  /** Where the x axis of the loss curve ends. */
  totalSteps: number;
  /** Shared top of every panel's loss axis. */
  maxLoss: number;
  /** Colour of this run's curve (the same in the comparison chart). */
  color: string;
  /** Accuracy of the base on the same points, to show the change. */
  baseAccuracy: number;
}

const CANVAS_PX = 232;
const pct = (v: number) => `${(100 * v).toFixed(1)}\u00a0%`; // never split the number from its %

/** One small multiple: boundary heatmap + points, accuracy, trainable parameters, loss curve. */
export function BoundaryPanel({ run, res, points, totalSteps, maxLoss, color, baseAccuracy }: BoundaryPanelProps) {
  const canvasRef = useD3<HTMLCanvasElement>(
    (el) => renderBoundary(el, { probability: run.probability, res, extent: EXTENT, points }, { size: CANVAS_PX }),
    [run.probability, res, points],
  );
  const lossRef = useD3<SVGSVGElement>(
    (el) => renderBoundaryLoss(el, run.losses, { width: 190, height: 84, maxStep: totalSteps, maxLoss, color }),
    [run.losses, totalSteps, maxLoss, color],
  );
  const last = run.losses[run.losses.length - 1];
  const delta = run.accuracy - baseAccuracy;
  const peftParts = run.params.line.split(' || ');
  return (
    <figure
      className="boundary-panel"
      data-testid={`panel-${run.id}`}
      data-accuracy={run.accuracy}
      data-steps={run.steps}
    >
      <figcaption className="boundary-title" style={{ borderColor: color }}>
        {run.label}
      </figcaption>
      <canvas
        ref={canvasRef}
        className="boundary-canvas"
        role="img"
        aria-label={`${run.label}: decision boundary over the new data; accuracy ${pct(run.accuracy)}`}
      />
      <p className="boundary-acc">
        <span className="boundary-acc-value" data-testid={`accuracy-${run.id}`}>
          {pct(run.accuracy)}
        </span>
        {run.mode !== 'base' && (
          <span className={delta > 0.005 ? 'boundary-delta ok' : 'boundary-delta'}>
            {' '}
            {delta >= 0 ? '+' : '−'}
            {(100 * Math.abs(delta)).toFixed(1)} pts
          </span>
        )}
      </p>
      <p className="boundary-acc-label">accuracy (new data)</p>
      <p className="boundary-params">
        <strong>{withCommas(run.params.trainable)}</strong> trained
      </p>
      {/* PEFT's line verbatim (copyable); it may wrap only at its "||" separators. */}
      <code className="boundary-peft" title="PEFT's print_trainable_parameters() line">
        {peftParts.map((part, i) => (
          <span key={i}>
            {i > 0 && ' || '}
            <span className="nowrap">{part}</span>
          </span>
        ))}
      </code>
      {run.mode === 'base' ? (
        <p className="boundary-note">Frozen: pretrained on two moons, never updated here.</p>
      ) : (
        <>
          <svg
            ref={lossRef}
            className="boundary-loss"
            role="img"
            aria-label={`${run.label} training loss${last ? `, now ${last.value.toFixed(3)}` : ''}`}
          />
          <p className="boundary-loss-now">loss {last ? last.value.toFixed(3) : '—'}</p>
        </>
      )}
      {run.stopped && (
        <p role="alert" className="error">
          {run.stopped}
        </p>
      )}
    </figure>
  );
}
