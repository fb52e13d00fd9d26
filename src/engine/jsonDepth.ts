/** A bound on JSON nesting, checked in one linear pass before JSON.parse sees untrusted text. */

/**
 * How deep `[` and `{` nest outside strings, counting only up to `limit` + 1 (so a 10⁶-deep text
 * stops early). Valid or not, the text is never parsed.
 */
export function nestingDepth(json: string, limit: number): number {
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < json.length && json.charCodeAt(i) !== 0x22; i++) if (json.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return 0;
}
