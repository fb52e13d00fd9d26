import type { RunRecord } from './runView';
import { SampleText } from './SamplesPanel';

/** The last samples of both runs from the same prompts and seed, beside the base model's. */
export function CompareSamples({ lora, full }: { lora: RunRecord; full: RunRecord }) {
  const l = lora.samples;
  const f = full.samples;
  if (!l?.tuned || !f?.tuned) return null;
  const rows = Math.min(l.base.length, f.tuned.length);
  return (
    <table className="train-samples" data-testid="compare-samples">
      <caption>Samples after training, same prompts and seed</caption>
      <thead>
        <tr>
          <th scope="col">prompt</th>
          <th scope="col">base model</th>
          <th scope="col">LoRA, step {l.step}</th>
          <th scope="col">full fine-tuning, step {f.step}</th>
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: rows }, (_, i) => (
          <tr key={i}>
            <th scope="row" className="mono">
              {l.base[i].prompt === '' ? '(new document)' : JSON.stringify(l.base[i].prompt)}
            </th>
            <td>
              <SampleText prompt={l.base[i].prompt} text={l.base[i].text} />
            </td>
            <td>
              <SampleText prompt={l.tuned![i].prompt} text={l.tuned![i].text} />
            </td>
            <td>
              <SampleText prompt={f.tuned![i].prompt} text={f.tuned![i].text} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
