import { Tex } from '../../../components/Tex';

/** The one place where the other naming of the factors is mapped onto the paper's (and PEFT's). */
export function NamingCallout() {
  return (
    <aside className="callout side-note" aria-label="Names: which factor is A and which is B">
      <strong>Names.</strong> Some texts write <Tex>{'W = A\\cdot B'}</Tex> with the tall factor first and call it A.
      The LoRA paper and PEFT write <Tex>{'\\Delta W = B\\cdot A'}</Tex>: that tall A <Tex>{'[m\\times r]'}</Tex> is the
      paper’s <strong>B</strong> <Tex>{'[d_{out}\\times r]'}</Tex>, and that wide B <Tex>{'[r\\times n]'}</Tex> is the
      paper’s <strong>A</strong> <Tex>{'[r\\times d_{in}]'}</Tex>. From here on, B is tall and A is wide.
    </aside>
  );
}
