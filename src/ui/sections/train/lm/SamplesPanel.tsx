import type { RunView, SampleSet } from './runStore';

interface Props {
  view: RunView;
  /** Generate samples now (between runs), or null while that is impossible. */
  onSample: (() => void) | null;
}

/** The generated part after the prompt, shown apart so the prompt reads as given. */
export function SampleText({ prompt, text }: { prompt: string; text: string }) {
  const rest = text.startsWith(prompt) ? text.slice(prompt.length) : text;
  return (
    <span className="mono train-sample">
      {prompt && <span className="train-prompt">{prompt}</span>}
      {rest || <em>(nothing: the model ended the document at once)</em>}
    </span>
  );
}

function SampleTable({ set, before, caption }: { set: SampleSet; before: SampleSet | null; caption: string }) {
  const showBefore = before !== null && before !== set && before.tuned !== null && set.tuned !== null;
  return (
    <table className="train-samples" data-testid="samples-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">prompt</th>
          <th scope="col">base model</th>
          {showBefore && <th scope="col">{before.tunedLabel}, step 0</th>}
          {set.tuned && (
            <th scope="col">
              {set.tunedLabel}, step {set.step}
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {set.base.map((b, i) => (
          <tr key={i}>
            <th scope="row" className="mono">
              {b.prompt === '' ? '(new document)' : JSON.stringify(b.prompt)}
            </th>
            <td>
              <SampleText prompt={b.prompt} text={b.text} />
            </td>
            {showBefore && (
              <td>
                <SampleText prompt={before.tuned![i].prompt} text={before.tuned![i].text} />
              </td>
            )}
            {set.tuned && (
              <td data-testid="tuned-sample">
                <SampleText prompt={set.tuned[i].prompt} text={set.tuned[i].text} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Samples from the task's fixed prompts: base model beside the tuned one, before, during and after training. */
export function SamplesPanel({ view: v, onSample }: Props) {
  return (
    <section className="panel train-panel" aria-labelledby="samples-title">
      <h2 id="samples-title">Samples</h2>
      <p className="train-hint">
        Same prompts, same random seed (temperature 0.8) for every column, so differences come from the weights alone. A
        new document starts with no prompt.
      </p>
      {onSample && (
        <button type="button" onClick={onSample}>
          Generate samples
        </button>
      )}
      {v.samples ? (
        <SampleTable
          set={v.samples}
          before={v.samplesBefore}
          caption={v.samples.step === 0 ? 'Before training' : `After ${v.samples.step} steps`}
        />
      ) : (
        <p>No samples yet: start training, or generate samples from the base model.</p>
      )}
    </section>
  );
}
