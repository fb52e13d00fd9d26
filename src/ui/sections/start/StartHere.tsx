import { useState } from 'react';
import { clearMilestones, useMilestones } from '../../storage/milestones';
import { numberCodec, useParam } from '../../urlState';
import { PATH } from './pathSteps';
import { PathSummary } from './PathSummary';
import { loadProgress, pick, saveProgress, stepDone, withPathReturn, type Progress } from './progress';
import { Question } from './Question';
import './start.css';

const stepCodec = numberCodec(1, PATH.length);

/** "Start here": short steps from rank to a downloaded adapter, with progress kept locally. */
export default function StartHere() {
  const [current, setCurrent] = useParam('step', 1, stepCodec);
  const [progress, setProgress] = useState<Progress>(loadProgress);
  const milestones = useMilestones();
  const step = PATH[current - 1];
  const done = PATH.filter((s) => stepDone(s, progress, milestones)).length;
  const answer = progress[step.id];

  function update(next: Progress) {
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
        {PATH.map((s, i) => {
          const ticked = stepDone(s, progress, milestones);
          return (
            <li key={s.id}>
              <button
                className="path-step-button"
                aria-current={i + 1 === current ? 'step' : undefined}
                onClick={() => setCurrent(i + 1)}
              >
                <span aria-hidden="true">{ticked ? '✓' : i + 1}</span> {s.title}
                {ticked && <span className="sr-only"> (done)</span>}
              </button>
            </li>
          );
        })}
      </ol>
      <p data-testid="path-progress">
        {done} of {PATH.length} steps done.
      </p>
      {done === PATH.length && <PathSummary />}
      <article className="panel path-card" aria-labelledby="step-title">
        <h2 id="step-title">
          Step {current}: {step.title}
        </h2>
        <p>
          <strong>Try this:</strong> {step.tryThis} <a href={withPathReturn(step.href, current)}>{step.linkText} →</a>
        </p>
        <Question
          key={step.id}
          step={step}
          answer={answer}
          onAnswer={(i) => update({ ...progress, [step.id]: pick(step, answer, i) })}
          onReveal={() => answer && update({ ...progress, [step.id]: { ...answer, revealed: true } })}
        />
        {step.action && (
          <p data-testid="path-action" className={milestones[step.action.milestone] ? 'ok' : undefined}>
            {milestones[step.action.milestone]
              ? `Done in this browser: ${milestones[step.action.milestone]!.detail}.`
              : `This step ticks once you ${step.action.todo}; the app sees it happen.`}
          </p>
        )}
        <div className="controls">
          <button onClick={() => setCurrent(current - 1)} disabled={current === 1}>
            Previous step
          </button>
          <button className="primary" onClick={() => setCurrent(current + 1)} disabled={current === PATH.length}>
            Next step
          </button>
          <button
            onClick={() => {
              update({});
              clearMilestones();
            }}
          >
            Reset progress
          </button>
        </div>
      </article>
    </section>
  );
}
