/**
 * target_modules as a PEFT user would write them: the page picks groups by their qualified name
 * ("self_attn.q_proj", "attn.c_proj", so that GPT-2's two c_proj stay apart), while PEFT users write
 * the shortest name that picks the same layers ("q_proj", "c_attn"). PEFT matches a list entry
 * when a module's name equals it or ends with "." + it, so the shorter entry is exact whenever no
 * other layer ends the same way.
 */

const ends = (name: string, entry: string) => name === entry || name.endsWith(`.${entry}`);

/**
 * @param targets list entries, e.g. ["self_attn.q_proj", "self_attn.v_proj"]
 * @param moduleNames every adaptable layer of the base, e.g. "model.layers.0.self_attn.q_proj"
 * @returns for each entry, its shortest dot-suffix that matches exactly the same layers (order
 *   kept, duplicates dropped); an entry that matches no layer is kept as it is.
 */
export function peftTargetNames(targets: readonly string[], moduleNames: readonly string[]): string[] {
  const out: string[] = [];
  for (const target of targets) {
    const matched = moduleNames.filter((n) => ends(n, target)).length;
    const parts = target.split('.');
    let best = target;
    if (matched > 0) {
      for (let k = 1; k < parts.length; k++) {
        const suffix = parts.slice(parts.length - k).join('.');
        if (moduleNames.filter((n) => ends(n, suffix)).length === matched) {
          best = suffix;
          break;
        }
      }
    }
    if (!out.includes(best)) out.push(best);
  }
  return out;
}
