import type { DeltaWView } from '../../../../engine/session/deltaW';
import { countAboveFloor, spectrumNoiseFloor } from '../../../../viz/spectrumChart';
import { Heatmap, Spectrum } from './DeltaWPanel';

function Side({ title, view, testId }: { title: string; view: DeltaWView; testId: string }) {
  const total = view.singularValues.length;
  const above = countAboveFloor(view.singularValues, spectrumNoiseFloor(view.singularValues, ...view.shape));
  return (
    <div className="train-compare-dw">
      <h3>{title}</h3>
      <p data-testid={testId} data-above={above} data-total={total}>
        {view.kind === 'full'
          ? `${above} of ${total} singular values above the noise floor: full fine-tuning changes W in every direction.`
          : `${above} of ${total} singular values above the noise floor: rank(ΔW) ≤ r = ${view.r}.`}
      </p>
      <Heatmap view={view} />
      <Spectrum view={view} log />
    </div>
  );
}

/** The same module's ΔW after each run: LoRA's has at most r directions, full fine-tuning's all of them. */
export function CompareDeltaW({ lora, full }: { lora: DeltaWView | null; full: DeltaWView | null }) {
  if (!lora) return null;
  return (
    <div className="train-compare-dws">
      <Side title={`LoRA: ΔW = s·B·A of ${lora.module}`} view={lora} testId="compare-rank-lora" />
      {full && full.module === lora.module ? (
        <Side title={`Full fine-tuning: ΔW = W_full − W₀ of ${full.module}`} view={full} testId="compare-rank-full" />
      ) : (
        <p role="status">Computing ΔW of the full run for {lora.module}…</p>
      )}
    </div>
  );
}
