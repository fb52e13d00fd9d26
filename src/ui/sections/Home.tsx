import { SECTIONS } from '../sectionMeta';
import { Term } from '../components/Term';

export default function Home() {
  return (
    <section aria-labelledby="section-title">
      <h1 id="section-title">LoRA, learned and trained in your browser</h1>
      <p className="lede">
        A frozen weight matrix W₀ gets a low-rank update ΔW = s·B·A, with A of shape r × d<sub>in</sub> and B of shape d
        <sub>out</sub> × r. Only A and B are trained. Here you can see why that works, then really do it: fine-tune a
        language model with LoRA on your own GPU and download an adapter that Hugging Face <Term id="peft" /> loads
        unchanged.
      </p>
      <p>Everything runs on this page. Your data, models and adapters never leave your machine.</p>
      <ol className="toc">
        {SECTIONS.filter((s) => s.route !== '').map((s) => (
          <li key={s.route}>
            <a href={`#/${s.route}`}>
              {s.group === 'Learn' ? 'Learn: ' : ''}
              {s.title}
            </a>
            <span className="toc-summary"> {s.summary}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
