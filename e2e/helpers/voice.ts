/**
 * The product speaks in its own voice: no page refers to documents the learner has never seen
 * ("the notes say…", "the seed notes", "(the seed's numbers)"). The random seed setting is fine.
 */
export const FOREIGN_VOICE: RegExp[] = [
  /\b(the|these|our|my|seed|lecture|course) notes\b/i,
  /\bnotes (say|said|write|wrote|stop|quote|have|claim)\b/i,
  /\bthe seed[’']s\b/i,
  /\bseed (document|text|example|material)s?\b/i,
  /\bthe seed\b(?!\s*(=|:|\d|value|number|field|setting|of the run))/i,
];

/** The phrases of `text` that speak about documents outside the product. */
export function foreignVoice(text: string): string[] {
  return FOREIGN_VOICE.flatMap((re) => {
    const m = re.exec(text);
    return m ? [text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30).replace(/\s+/g, ' ')] : [];
  });
}
