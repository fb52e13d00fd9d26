import { renderHeatLegend, renderHeatmap } from '../../../../viz/heatmap';
import type { Scheme } from '../../../../viz/matrixColor';
import { useD3 } from '../../../components/useD3';
import type { Mat } from '../../../../engine/linalg/dense';

interface Props {
  title: string;
  values: Mat;
  domain: [number, number];
  scheme: Scheme;
  /** Text alternative with the figure's key numbers. */
  description: string;
  legendLabel?: string;
}

/** A matrix as a pixel image (viz/heatmap) with its colour bar. */
export function HeatmapFigure({ title, values, domain, scheme, description, legendLabel }: Props) {
  const canvas = useD3<HTMLCanvasElement>(
    (el) => renderHeatmap(el, values, { domain, scheme }),
    [values, domain[0], domain[1], scheme],
  );
  const legend = useD3<SVGSVGElement>(
    (el) => renderHeatLegend(el, { domain, scheme, width: 240, label: legendLabel }),
    [domain[0], domain[1], scheme, legendLabel],
  );
  return (
    <figure className="svd-map">
      <figcaption>{title}</figcaption>
      <canvas ref={canvas} role="img" aria-label={`${title}: ${description}`} />
      <svg ref={legend} aria-hidden="true" />
    </figure>
  );
}
