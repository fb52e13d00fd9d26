import type { PathStep } from './pathSteps';
import { feedback, type Answer } from './progress';

/** One step's question: a hint after a first wrong answer, the answer on a second try or on request. */
export function Question({
  step,
  answer,
  onAnswer,
  onReveal,
}: {
  step: PathStep;
  answer: Answer | undefined;
  onAnswer: (i: number) => void;
  onReveal: () => void;
}) {
  const shown = feedback(answer);
  return (
    <fieldset className="path-question">
      <legend>{step.question}</legend>
      {step.choices.map((c, i) => (
        <label key={c}>
          <input type="radio" name={`q-${step.id}`} checked={answer?.answered === i} onChange={() => onAnswer(i)} /> {c}
        </label>
      ))}
      {shown === 'right' && (
        <p role="status" className="ok">
          Right. {step.why}
        </p>
      )}
      {shown === 'hint' && (
        <div role="status">
          <p className="error">Not quite. Hint: {step.hint}</p>
          <button type="button" onClick={onReveal}>
            Show the answer
          </button>
        </div>
      )}
      {shown === 'answer' && (
        <p role="status" className="error">
          Not quite. The answer is “{step.choices[step.answer]}”: {step.why}
        </p>
      )}
    </fieldset>
  );
}
