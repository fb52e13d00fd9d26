import type { Step } from './presenter';

/** A presenter step that is a title card: the talk's title and one line, instead of a page. */
export function PresenterCard({ step }: { step: Step }) {
  return (
    <section className="title-card" data-present="title-card" aria-labelledby="section-title">
      <h1 id="section-title">{step.title}</h1>
      <p className="lede">{step.card}</p>
      <p className="title-card-by">lowrank · LoRA, learned and trained in your browser</p>
    </section>
  );
}
