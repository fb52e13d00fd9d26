import { PATH } from './pathSteps';

/** Shown once every step is done: what the nine steps covered, and where to go from here. */
export function PathSummary() {
  return (
    <section className="panel path-summary" aria-labelledby="path-summary-title">
      <h2 id="path-summary-title">You finished the path</h2>
      <p>You trained a LoRA adapter in this browser and downloaded it. On the way you saw that:</p>
      <ul>
        {PATH.map((s) => (
          <li key={s.id}>{s.learned}</li>
        ))}
      </ul>
      <h3>Where to go next</h3>
      <ul>
        <li>
          <a href="#/adapters">Swap, merge and mix adapters</a> over one base, and import the one you downloaded.
        </li>
        <li>
          <a href="#/train">Compare LoRA with full fine-tuning</a> on the same task, and load your own GPT-2, Llama or
          Qwen2 checkpoint on the Train page.
        </li>
        <li>
          <a href="#/train/classifier">Watch a decision boundary move</a> in the 2-D lab as r goes from 1 to 4.
        </li>
        <li>
          <a href="#/learn/params">Count the parameters of your own model</a> from its config.json.
        </li>
        <li>Teaching it? The Present button at the top turns the app into a talk, one figure per step.</li>
      </ul>
    </section>
  );
}
