/**
 * Keep an svg label inside its box whatever font size CSS gives it (presenter mode enlarges chart
 * text): a label longer than `maxWidth` is squeezed to exactly that width with textLength.
 */
export function fitText(text: SVGTextElement, maxWidth: number): void {
  text.removeAttribute('textLength');
  text.removeAttribute('lengthAdjust');
  const w = typeof text.getComputedTextLength === 'function' ? text.getComputedTextLength() : 0;
  if (w > maxWidth && maxWidth > 0) {
    text.setAttribute('textLength', String(maxWidth));
    text.setAttribute('lengthAdjust', 'spacingAndGlyphs');
  }
}
