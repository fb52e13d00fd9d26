import { useMemo } from 'react';
import { formatBytes } from '../../../../engine/format/bytes';
import { fullFineTuneMemory, loraMemory, type MemoryBreakdown, type Precision } from '../../../../engine/learn/memory';
import { renderMemoryBars, type MemoryBar } from '../../../../viz/memoryBars';
import { useD3 } from '../../../components/useD3';
import { OKABE_ITO } from '../../../../viz/palette';

/** One colour per part of training memory, shared by the bars and their legend. */
const MEMORY_COLORS: Record<string, string> = {
  weights: OKABE_ITO.blue,
  master: OKABE_ITO.sky,
  gradients: OKABE_ITO.orange,
  adamM: OKABE_ITO.green,
  adamV: OKABE_ITO.purple,
};

const PARTS: { key: keyof Omit<MemoryBreakdown, 'total'>; label: string }[] = [
  { key: 'weights', label: 'weights' },
  { key: 'master', label: 'fp32 master copy' },
  { key: 'gradients', label: 'gradients' },
  { key: 'adamM', label: 'Adam m' },
  { key: 'adamV', label: 'Adam v' },
];

export const PRECISION_NOTE: Record<Precision, string> = {
  fp32: 'fp32: every weight, gradient and Adam state in 4 bytes.',
  mixed:
    'mixed (bf16/fp16 weights): full fine-tuning keeps 16-bit weights and gradients (2 B + 2 B) plus an fp32 master copy and fp32 Adam m and v (4 B each) = 16 B per parameter; LoRA keeps the frozen base in 16 bit (2 B) and the adapter, its gradients and Adam state in fp32 (PEFT’s default autocast_adapter_dtype).',
};

/** Training memory, full fine-tuning vs LoRA: a table and a bar chart of the same numbers. */
export function MemorySection({
  base,
  trainable,
  precision,
}: {
  base: number;
  trainable: number;
  precision: Precision;
}) {
  const full = useMemo(() => fullFineTuneMemory(base, precision), [base, precision]);
  const lora = useMemo(() => loraMemory(base, trainable, precision), [base, trainable, precision]);
  const bars: MemoryBar[] = [
    { label: 'full fine-tuning', parts: PARTS.map((p) => ({ key: p.key, label: p.label, bytes: full[p.key] })) },
    { label: 'LoRA', parts: PARTS.map((p) => ({ key: p.key, label: p.label, bytes: lora[p.key] })) },
  ];
  const ref = useD3<SVGSVGElement>(
    (el) => renderMemoryBars(el, bars, { width: 900, format: formatBytes, colors: MEMORY_COLORS }),
    [full, lora],
  );
  const saved = full.total / lora.total;
  return (
    <>
      <table className="numbers memory-table">
        <caption>Training memory with Adam ({precision === 'fp32' ? 'fp32' : 'mixed precision'})</caption>
        <thead>
          <tr>
            <th scope="col">what</th>
            <th scope="col">full fine-tuning</th>
            <th scope="col">LoRA</th>
          </tr>
        </thead>
        <tbody>
          {PARTS.map((p) => (
            <tr key={p.key}>
              <th scope="row">{p.label}</th>
              <td>{formatBytes(full[p.key])}</td>
              <td>{formatBytes(lora[p.key])}</td>
            </tr>
          ))}
          <tr className="total-row">
            <th scope="row">total</th>
            <td data-testid="mem-full-total">{formatBytes(full.total)}</td>
            <td data-testid="mem-lora-total">{formatBytes(lora.total)}</td>
          </tr>
        </tbody>
      </table>
      <p>
        LoRA needs <strong>{saved.toFixed(1)}×</strong> less memory for weights, gradients and optimizer state here.
        Adam’s m and v shrink from {formatBytes(full.adamM + full.adamV)} to {formatBytes(lora.adamM + lora.adamV)}:
        that is where most of the saving is.
      </p>
      <figure className="learn-figure chart-wrap">
        <svg
          ref={ref}
          className="chart"
          role="img"
          aria-label={`Bar chart: full fine-tuning ${formatBytes(full.total)}, LoRA ${formatBytes(lora.total)}; the table above has every part.`}
        />
      </figure>
    </>
  );
}
