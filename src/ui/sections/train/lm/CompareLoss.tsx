import { useMemo } from 'react';
import { renderLossChart, type LossSeries } from '../../../../viz/lossChart';
import { GREY, OKABE_ITO } from '../../../../viz/palette';
import { useD3 } from '../../../components/useD3';
import { useWidth } from '../../../components/useWidth';
import { smooth } from './LossPanel';
import type { RunRecord } from './runView';

/** Both runs' curves on one chart: LoRA in blue, full fine-tuning in orange; train solid, validation dashed. */
export function CompareLoss({ lora, full }: { lora: RunRecord; full: RunRecord }) {
  const series = useMemo<LossSeries[]>(
    () => [
      { name: 'LoRA train', points: smooth(lora.trainLoss), color: OKABE_ITO.blue },
      { name: 'LoRA validation', points: lora.validationLoss, color: OKABE_ITO.blue, dashed: true },
      { name: 'full train', points: smooth(full.trainLoss), color: OKABE_ITO.vermillion },
      { name: 'full validation', points: full.validationLoss, color: OKABE_ITO.vermillion, dashed: true },
      {
        name: 'base model (val.)',
        points: [
          { step: 0, value: lora.baseValidationLoss },
          { step: Math.max(lora.steps, full.steps), value: lora.baseValidationLoss },
        ],
        color: GREY,
        dashed: true,
      },
    ],
    [lora, full],
  );
  const [box, boxWidth] = useWidth<HTMLDivElement>(620);
  const width = Math.max(320, Math.min(900, boxWidth));
  const height = Math.round(Math.min(360, Math.max(260, width * 0.55)));
  const maxStep = Math.max(lora.settings.totalSteps, full.settings.totalSteps);
  const ref = useD3<SVGSVGElement>(
    (el) => renderLossChart(el, series, { width, height, maxStep }),
    [series, width, height, maxStep],
  );
  const last = (r: RunRecord) => r.validationLoss[r.validationLoss.length - 1]?.value;
  return (
    <figure className="train-figure" data-testid="compare-loss">
      <figcaption>Loss of both runs (train smoothed, validation dashed)</figcaption>
      <div ref={box}>
        <svg
          ref={ref}
          role="img"
          className="train-chart"
          aria-label={`Loss of both runs. Validation loss at the end: LoRA ${last(lora)?.toFixed(3) ?? '–'}, full fine-tuning ${last(full)?.toFixed(3) ?? '–'}; base model ${lora.baseValidationLoss.toFixed(3)}.`}
        />
      </div>
    </figure>
  );
}
