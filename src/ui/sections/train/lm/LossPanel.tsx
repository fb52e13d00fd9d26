import { useEffect, useMemo, useRef, useState } from 'react';
import { renderLossChart, type LossSeries } from '../../../../viz/lossChart';
import { GREY, OKABE_ITO } from '../../../../viz/palette';
import { useD3 } from '../../../components/useD3';
import type { Point, RunView } from './runStore';
import { Term } from '../../../components/Term';

/** Exponential moving average with bias correction (as TensorBoard smooths), so early points are not pulled to 0. */
export function smooth(points: Point[], beta = 0.9): Point[] {
  let m = 0;
  return points.map((p, i) => {
    m = beta * m + (1 - beta) * p.value;
    return { step: p.step, value: m / (1 - beta ** (i + 1)) };
  });
}

/**
 * Train loss per step (raw, faint; smoothed, solid), validation loss per evaluation, and the base model's as
 * a reference.
 */
export function LossPanel({ view: v, plannedSteps }: { view: RunView; plannedSteps: number }) {
  // Before any run the x axis spans the steps the settings ask for (a 0…1 axis would print "200m").
  const maxStep = Math.max(1, v.totalSteps || plannedSteps);
  const series = useMemo<LossSeries[]>(() => {
    const s: LossSeries[] = [
      { name: 'train (raw)', points: v.trainLoss, color: 'rgba(0, 114, 178, 0.3)' },
      { name: 'train (smoothed)', points: smooth(v.trainLoss), color: OKABE_ITO.blue },
      { name: 'validation', points: v.validationLoss, color: OKABE_ITO.vermillion },
    ];
    if (v.baseValidationLoss !== null) {
      s.push({
        name: 'base model (val.)',
        points: [
          { step: 0, value: v.baseValidationLoss },
          { step: v.totalSteps, value: v.baseValidationLoss },
        ],
        color: GREY,
        dashed: true,
      });
    }
    return s;
  }, [v.trainLoss, v.validationLoss, v.baseValidationLoss, v.totalSteps]);
  // Draw at the container's real width so that axis and legend text keep their size.
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(620);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) =>
      setWidth(Math.round(Math.min(900, Math.max(320, entry.contentRect.width)))),
    );
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const height = Math.round(Math.min(360, Math.max(260, width * 0.55)));
  const ref = useD3<SVGSVGElement>(
    (el) => renderLossChart(el, series, { width, height, maxStep }),
    [series, maxStep, width, height],
  );
  const lastVal = v.validationLoss[v.validationLoss.length - 1];
  const lastTrain = v.trainLoss[v.trainLoss.length - 1];
  const label =
    v.trainLoss.length === 0 && v.validationLoss.length === 0
      ? 'Loss chart: no run yet.'
      : `Loss chart. Train loss at step ${lastTrain?.step ?? 0}: ${lastTrain?.value.toFixed(3) ?? '–'}. Validation loss at step ${lastVal?.step ?? 0}: ${lastVal?.value.toFixed(3) ?? '–'}. Base model: ${v.baseValidationLoss?.toFixed(3) ?? '–'} nats/token.`;
  return (
    <figure className="train-figure">
      <figcaption>
        Loss (<Term id="nats" /> per token; lower is better)
      </figcaption>
      <div ref={box}>
        <svg ref={ref} role="img" aria-label={label} className="train-chart" />
      </div>
      {v.validationLoss.length > 0 && (
        <p
          className="mono"
          data-testid="validation-summary"
          data-base={v.baseValidationLoss ?? undefined}
          data-now={lastVal.value}
          data-step={lastVal.step}
        >
          validation loss: base {v.baseValidationLoss?.toFixed(4) ?? '–'} → now{' '}
          <span data-testid="validation-now">{lastVal.value.toFixed(4)}</span>
        </p>
      )}
    </figure>
  );
}
