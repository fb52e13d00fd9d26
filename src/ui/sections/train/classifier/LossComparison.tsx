import type { LabSnapshot } from '../../../../engine/lab2d/lab';
import { renderLossChart } from '../../../../viz/lossChart';
import { useD3 } from '../../../components/useD3';
import { RUN_COLORS } from './runColors';

/** Every run's training loss on one set of axes (the panels above each show their own). */
export function LossComparison({ snapshot }: { snapshot: LabSnapshot }) {
  const runs = snapshot.runs.filter((r) => r.mode !== 'base');
  const ref = useD3<SVGSVGElement>(
    (el) =>
      renderLossChart(
        el,
        runs.map((r) => ({ name: r.label, points: r.losses, color: RUN_COLORS[r.id], dashed: r.mode === 'full' })),
        { width: 760, height: 260, maxStep: snapshot.totalSteps, yLabel: 'loss (nats/point)' },
      ),
    [snapshot],
  );
  return (
    <figure className="boundary-compare">
      <svg ref={ref} className="chart" role="img" aria-label="Training loss of every run against the step" />
      <figcaption>
        Training loss of the four runs on the same axes (mean cross-entropy over the 256 training points, before each
        step’s update).
      </figcaption>
    </figure>
  );
}
