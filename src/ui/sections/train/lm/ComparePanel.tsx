import { useEffect, useState } from 'react';
import { withCommas } from '../../../../engine/peftLine';
import { errorMessage } from '../../../../engine/types';
import { zipFiles } from '../../../../engine/zip';
import { downloadFile } from '../../../download';
import { lmWorker } from '../../../lm/lmClient';
import { CompareDeltaW } from './CompareDeltaW';
import { CompareLoss } from './CompareLoss';
import { CompareSamples } from './CompareSamples';
import { formatBytes } from '../../../../engine/format/bytes';
import { loadFullDeltaW, type RunRecord, type RunView } from './runStore';
import { formatTokensPerSec, SPEED_NOTE } from './speed';

interface Props {
  view: RunView;
  /** Run the last LoRA run's settings in full mode, or null when that is not possible now. */
  onCompare: (() => void) | null;
  /** A run is going: the Worker is busy. */
  active: boolean;
}

/** The fully fine-tuned model as one zip of Hugging Face GPT-2 files. */
async function downloadFullModel(r: RunRecord): Promise<string> {
  const files = await (await lmWorker()).fullRunFiles();
  const folder = `${r.modelName}-full-${r.steps}-steps`;
  const zip = zipFiles({
    [`${folder}/config.json`]: files['config.json'],
    [`${folder}/model.safetensors`]: files['model.safetensors'],
    [`${folder}/tokenizer.json`]: files['tokenizer.json'],
  });
  downloadFile(`${folder}.zip`, zip);
  return `Saved ${folder}.zip (${formatBytes(zip.byteLength)}).`;
}

type Row = [label: string, value: (r: RunRecord) => string];

const ROWS: Row[] = [
  [
    'trainable parameters',
    (r) =>
      `${withCommas(r.run.trainable.trainable)} (${((100 * r.run.trainable.trainable) / r.run.trainable.all).toFixed(2)} %)`,
  ],
  ['optimizer state (Adam m, v)', (r) => formatBytes(r.run.optimizerStateBytes)],
  ['trained weights (fp32)', (r) => formatBytes(r.run.trainedWeightBytes)],
  ['ms/step (median after warm-up)', (r) => r.medianMsPerStep.toFixed(0)],
  ['first step (warm-up)', (r) => `${r.firstStepMs.toFixed(0)} ms`],
  ['tokens/s (median after warm-up)', (r) => formatTokensPerSec(r.tokensPerSec)],
  ['validation loss (base → final)', (r) => `${r.baseValidationLoss.toFixed(4)} → ${r.finalValidationLoss.toFixed(4)}`],
  [
    'checkpoint to save',
    (r) =>
      r.mode === 'lora'
        ? `${formatBytes(r.run.trainedWeightBytes)} (adapter)`
        : `${formatBytes(r.run.trainedWeightBytes)} (whole model)`,
  ],
  ['steps, outcome', (r) => `${r.steps}, ${r.outcome}`],
];

/** The last LoRA run and the last full fine-tuning run, side by side. */
export function ComparePanel({ view: v, onCompare, active }: Props) {
  const { lora, full } = v.records;
  const [saved, setSaved] = useState<string | null>(null);
  // The full run's ΔW for the module LoRA's is shown for, fetched from the Worker between runs.
  const module = v.deltaW?.module ?? null;
  const haveFull = v.fullDeltaW?.module === module;
  useEffect(() => {
    if (full && module && !active && !haveFull) void loadFullDeltaW(module);
  }, [full, module, active, haveFull]);
  const ratio = (f: (r: RunRecord) => number) => (lora && full && f(lora) > 0 ? f(full) / f(lora) : null);
  const paramRatio = ratio((r) => r.run.trainable.trainable);
  const stateRatio = ratio((r) => r.run.optimizerStateBytes);
  return (
    <section className="panel train-panel" aria-labelledby="compare-title">
      <h2 id="compare-title">LoRA vs full fine-tuning</h2>
      <p className="train-hint">
        Full fine-tuning trains every weight: Adam then keeps two more numbers for each of them, and the checkpoint is
        the whole model. LoRA trains only A and B.
      </p>
      {onCompare && (
        <button type="button" onClick={onCompare}>
          Compare with full fine-tuning
        </button>
      )}
      {lora || full ? (
        <table className="train-compare" data-testid="compare-table">
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">measure</span>
              </th>
              <th scope="col">LoRA{lora?.adapterName ? ` ('${lora.adapterName}')` : ''}</th>
              <th scope="col">full fine-tuning</th>
            </tr>
          </thead>
          <tbody>
            {ROWS.map(([label, fmt]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td className="mono">{lora ? fmt(lora) : 'not run yet'}</td>
                <td className="mono">{full ? fmt(full) : 'not run yet'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Train once with LoRA, then compare.</p>
      )}
      {(lora || full) && <p className="train-hint">{SPEED_NOTE}</p>}
      {lora && full && (
        <>
          <CompareLoss lora={lora} full={full} />
          <CompareSamples lora={lora} full={full} />
          <CompareDeltaW lora={v.deltaW} full={v.fullDeltaW} />
        </>
      )}
      {full && (
        <p className="controls">
          <button
            type="button"
            disabled={active}
            onClick={() =>
              void downloadFullModel(full).then(setSaved, (e: unknown) =>
                setSaved(`Download failed: ${errorMessage(e)}`),
              )
            }
          >
            Download the fully fine-tuned model
          </button>
          <span className="train-hint">
            config.json, model.safetensors and tokenizer.json: transformers loads the folder.
          </span>
          {saved && <span role="status">{saved}</span>}
        </p>
      )}
      {lora && full && (
        <p data-testid="compare-summary">
          Full fine-tuning trained {paramRatio?.toFixed(0)}× as many parameters and kept {stateRatio?.toFixed(0)}× as
          much optimizer state.
          {lora.modelName !== full.modelName || lora.taskLabel !== full.taskLabel
            ? ' (Note: the two runs used different models or tasks.)'
            : ''}
        </p>
      )}
      {lora && (
        <p className="mono train-peft" aria-label="PEFT's trainable-parameter line for the LoRA run">
          {lora.run.trainable.line}
        </p>
      )}
    </section>
  );
}
