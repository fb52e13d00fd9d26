import { Tex } from '../../../components/Tex';

/** The one place where the seed notes' names are mapped onto the paper's (and PEFT's). */
export function NamingCallout() {
  return (
    <aside className="callout" aria-label="Names: the notes versus the paper">
      <strong>Names.</strong> The notes write <Tex>{'W = A\\cdot B'}</Tex> with the tall factor first and call it A. The
      LoRA paper and PEFT write <Tex>{'\\Delta W = B\\cdot A'}</Tex>: the notes’ tall A <Tex>{'[m\\times r]'}</Tex> is
      the paper’s <strong>B</strong> <Tex>{'[d_{out}\\times r]'}</Tex>, and the notes’ wide B{' '}
      <Tex>{'[r\\times n]'}</Tex> is the paper’s <strong>A</strong> <Tex>{'[r\\times d_{in}]'}</Tex>. From here on, B is
      tall and A is wide.
    </aside>
  );
}
