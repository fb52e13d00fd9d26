import { useState } from 'react';
import { numberCodec, useParam } from '../../urlState';
import { PATH, type PathStep } from './pathSteps';
import { loadProgress, saveProgress, type Progress } from './progress';
import './start.css';

const stepCodec = numberCodec(1, PATH.length);

function Question({ step, progress, onAnswer }: { step: PathStep; progress: Progress; onAnswer: (i: number) => void }) {
  const done = progress[step.id];
  return (
    <fieldset className="path-question">
      <legend>{step.question}</legend>
      {step.choices.map((c, i) => (
        <label key={c}>
          <input type="radio" name={`q-${step.id}`} checked={done?.answered === i} onChange={() => onAnswer(i)} /> {c}
        </label>
      ))}
      {done && (
        <p role="status" className={done.correct ? 'ok' : 'error'}>
          {done.correct ? 'Right. ' : 'Not quite. '}
          {step.why}
        </p>
      )}
    </fieldset>
  );
}

/** "Start here": short steps from rank to a downloaded adapter, with progress kept locally. */
export default function StartHere() {
  const [current, setCurrent] = useParam('step', 1, stepCodec);
  const [progress, setProgress] = useState<Progress>(loadProgress);
  const step = PATH[current - 1];
  const correct = PATH.filter((s) => progress[s.id]?.correct).length;

  function answer(i: number) {
    const next = { ...progress, [step.id]: { answered: i, correct: i === step.answer } };
    setProgress(next);
    saveProgress(next);
  }

  return (
    <section aria-labelledby="section-title">
      <h1 id="section-title">Start here</h1>
      <p className="lede">
        Nine short steps from “what is rank?” to a LoRA adapter you trained and downloaded. Each has one thing to try
        and one question. Your progress stays in this browser.
      </p>
      <ol className="path-steps" aria-label="Steps">
        {PATH.map((s, i) => (
          <li key={s.id}>
            <button
              className="path-step-button"
              aria-current={i + 1 === current ? 'step' : undefined}
              onClick={() => setCurrent(i + 1)}
            >
              <span aria-hidden="true">{progress[s.id]?.correct ? '✓' : i + 1}</span> {s.title}
              {progress[s.id]?.correct && <span className="sr-only"> (done)</span>}
            </button>
          </li>
        ))}
      </ol>
      <p data-testid="path-progress">
        {correct} of {PATH.length} steps done.
      </p>
      <article className="panel path-card" aria-labelledby="step-title">
        <h2 id="step-title">
          Step {current}: {step.title}
        </h2>
        <p>
          <strong>Try this:</strong> {step.tryThis} <a href={step.href}>Go to {step.title.toLowerCase()} →</a>
        </p>
        <Question key={step.id} step={step} progress={progress} onAnswer={answer} />
        <div className="controls">
          <button onClick={() => setCurrent(current - 1)} disabled={current === 1}>
            Previous step
          </button>
          <button className="primary" onClick={() => setCurrent(current + 1)} disabled={current === PATH.length}>
            Next step
          </button>
          <button
            onClick={() => {
              setProgress({});
              saveProgress({});
            }}
          >
            Reset progress
          </button>
        </div>
      </article>
    </section>
  );
}
