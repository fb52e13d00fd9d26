import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

/** Typeset TeX with KaTeX (inline by default). KaTeX output carries MathML for screen readers. */
export function Tex({ children, block = false }: { children: string; block?: boolean }) {
  const html = useMemo(
    () => katex.renderToString(children, { displayMode: block, throwOnError: false, output: 'htmlAndMathml' }),
    [children, block],
  );
  return block ? (
    <div className="tex-block" dangerouslySetInnerHTML={{ __html: html }} />
  ) : (
    <span dangerouslySetInnerHTML={{ __html: html }} />
  );
}
