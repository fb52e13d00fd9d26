/** Layers × module types: where the adapter changed the model most, and how many directions it used. */
import type { LayerGrid } from '../../../engine/inspect/inspect';
import { renderLayerGrid } from '../../../viz/layerGrid';
import { useD3 } from '../../components/useD3';
import { num } from './format';

function Grid({
  grid,
  values,
  label,
  title,
}: {
  grid: LayerGrid;
  values: (number | null)[][];
  label: string;
  title: string;
}) {
  const ref = useD3<SVGSVGElement>(
    (el) => renderLayerGrid(el, { rows: grid.layers, cols: grid.types, values }, { label, width: 560, format: num }),
    [grid, values, label],
  );
  const flat = values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const max = flat.length ? Math.max(...flat) : 0;
  const min = flat.length ? Math.min(...flat) : 0;
  return (
    <figure className="inspect-grid">
      <figcaption>{title}</figcaption>
      <svg
        ref={ref}
        role="img"
        data-testid={`inspect-heatmap-${label === '‖ΔW‖_F' ? 'norm' : 'erank'}`}
        aria-label={`${title}: ${grid.layers.length} layers by ${grid.types.length} module types (${grid.types.slice(0, 8).join(', ')}); values from ${num(min)} to ${num(max)}. The table below lists every module.`}
      />
    </figure>
  );
}

export function HeatmapPanel({ grid }: { grid: LayerGrid }) {
  if (grid.layers.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="inspect-heat-title">
      <h2 id="inspect-heat-title">Across the layers</h2>
      <p>
        Each cell is one adapted module (rows: layers, columns: module types; empty: not adapted). Left, how far the
        update moves the weights, ‖ΔW‖_F; right, its effective rank, exp of the entropy of σᵢ/Σσ: about how many of the
        r directions it really uses.
      </p>
      <div className="inspect-grids">
        <Grid grid={grid} values={grid.norm} label="‖ΔW‖_F" title="‖ΔW‖_F per module" />
        <Grid grid={grid} values={grid.effectiveRank} label="effective rank" title="Effective rank per module" />
      </div>
    </section>
  );
}
