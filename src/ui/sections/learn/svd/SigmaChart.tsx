import { formatNum } from '../../../../engine/linalg/format';
import { renderBars } from '../../../../viz/bars';
import { useD3 } from '../../../components/useD3';

/** Singular values with the kept ones highlighted (viz/bars). */
export function SigmaChart({ sigma, k, log }: { sigma: number[]; k: number; log: boolean }) {
  const ref = useD3<SVGSVGElement>(
    (el) =>
      renderBars(
        el,
        { values: sigma, kept: k },
        { width: 640, height: 280, log, xLabel: 'index i', yLabel: log ? 'σᵢ (log scale)' : 'σᵢ' },
      ),
    [sigma, k, log],
  );
  const shown = sigma
    .slice(0, 6)
    .map((s) => formatNum(s, 4))
    .join(', ');
  return (
    <div className="svd-chart">
      <svg
        ref={ref}
        role="img"
        aria-label={`Singular values, ${sigma.length} in all, the first ${k} kept. Largest: ${shown}${sigma.length > 6 ? ', …' : ''}`}
      />
    </div>
  );
}
