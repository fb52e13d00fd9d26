import { findSection } from '../routes';

/** What each not-yet-built section will hold, stated plainly (no lorem ipsum). */
const COMING: Record<string, string[]> = {
  'learn/rank': [
    'An editable matrix, its numerical rank and the tolerance used.',
    'A factorization into a tall factor B and a wide factor A that reproduces it, and the stored-number count.',
    'Sliders for m, n and r up to LLM sizes: m·n against r·(m+n).',
  ],
  'learn/svd': [
    'W = UΣVᵀ for the matrix on screen, for presets and for an image you drop in.',
    'A rank-k slider with the reconstruction, ‖W − W_k‖_F, the energy kept and the singular values.',
  ],
  'learn/merge': [
    'The seed example: W + B·A = [4.1 8.62 13.56; 6.3 13.26 20.88; 8.8 18.56 29.28].',
    'Proof on an input x that W₀·x + s·B·(A·x) equals (W₀ + s·B·A)·x.',
  ],
  'learn/init': ['A real gradient on a tiny layer: with B = 0 the first gradient of A is zero and only B moves.'],
  'learn/params': ['A calculator over GPT-2, BLOOM and Llama configs printing PEFT’s exact line, with memory for full fine-tuning vs LoRA.'],
  'learn/adam': ['Adam’s two running means per trained parameter, bias correction, and Adam vs SGD on a 2-D surface.'],
  'learn/adapters': ['One base, many adapters: what is loaded once, what is swapped, and the memory it saves.'],
  'train/classifier': ['A small MLP pretrained on one 2-D dataset, fine-tuned with LoRA (r = 1, 2, 4) and fully onto a shifted one, decision boundaries drawn live.'],
  train: ['LoRA training of a small GPT-2-architecture model in a Web Worker on WebGPU, with live loss, samples and ΔW’s spectrum.'],
  adapters: ['PEFT-format export and import, hot-swapping adapters over one base, merge/unmerge and mixing.'],
};

export function makePlaceholder(route: string) {
  function Placeholder() {
    const section = findSection(route);
    return (
      <section className="placeholder" aria-labelledby="section-title">
        <h1 id="section-title">{section?.title}</h1>
        <p className="lede">{section?.summary}</p>
        <p>This section is being built. It will show:</p>
        <ul>
          {(COMING[route] ?? []).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
    );
  }
  return Placeholder;
}
