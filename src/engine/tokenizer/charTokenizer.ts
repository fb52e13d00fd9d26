/**
 * A character-level tokenizer: one id per Unicode character (code point), plus two special
 * tokens. The shipped base model uses it; it exports to and loads from a Hugging Face
 * tokenizer.json (see tokenizerJson.ts).
 */
import { checkIds, END_OF_TEXT, UNKNOWN, type DecodeOptions, type TextTokenizer } from './types';

/** How often each character outside the vocabulary occurred, most frequent first. */
export interface UnknownChars {
  /** Total occurrences of unknown characters. */
  count: number;
  /** Distinct unknown characters with their counts, most frequent first (ties: code point order). */
  chars: { char: string; count: number }[];
}

const SPECIAL_SPLIT = /(<\|endoftext\|>|<unk>)/;

export class CharTokenizer implements TextTokenizer {
  readonly kind = 'char' as const;
  readonly vocabSize: number;
  readonly endOfTextId: number;
  readonly unkId: number;
  private readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  /**
   * @param tokens the vocabulary in id order: each entry a single character, except exactly one
   *   `<|endoftext|>` and one `<unk>` anywhere in the list. Use `fromCorpus` for the canonical layout.
   */
  constructor(tokens: readonly string[]) {
    const ids = new Map<string, number>();
    tokens.forEach((token, id) => {
      if (ids.has(token))
        throw new Error(`Token ${JSON.stringify(token)} appears twice (ids ${ids.get(token)} and ${id}).`);
      if (token !== END_OF_TEXT && token !== UNKNOWN && [...token].length !== 1) {
        throw new Error(`Token ${id} (${JSON.stringify(token)}) is not a single character.`);
      }
      ids.set(token, id);
    });
    const eot = ids.get(END_OF_TEXT);
    const unk = ids.get(UNKNOWN);
    if (eot === undefined) throw new Error(`The vocabulary has no ${END_OF_TEXT} token.`);
    if (unk === undefined) throw new Error(`The vocabulary has no ${UNKNOWN} token.`);
    this.tokens = tokens.slice();
    this.ids = ids;
    this.vocabSize = tokens.length;
    this.endOfTextId = eot;
    this.unkId = unk;
  }

  /**
   * The canonical vocabulary of a corpus: id 0 `<|endoftext|>`, id 1 `<unk>`, then every distinct
   * character of `texts` and `extraChars`, sorted by code point (deterministic, independent of
   * the order the texts come in).
   */
  static fromCorpus(texts: Iterable<string>, extraChars = ''): CharTokenizer {
    const chars = new Set<string>(extraChars);
    for (const text of texts) for (const ch of text) chars.add(ch);
    const sorted = [...chars].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    return new CharTokenizer([END_OF_TEXT, UNKNOWN, ...sorted]);
  }

  /** The vocabulary in id order (a copy). */
  vocabulary(): string[] {
    return this.tokens.slice();
  }

  encode(text: string): Int32Array {
    return this.encodeWithReport(text).ids;
  }

  /**
   * Text → ids, also reporting the characters that had no id and became `<unk>`.
   * Literal `<|endoftext|>` / `<unk>` in the text map to their special ids, as Hugging Face
   * tokenizers do with added tokens.
   */
  encodeWithReport(text: string): { ids: Int32Array; unknown: UnknownChars } {
    const out: number[] = [];
    const unknown = new Map<string, number>();
    for (const piece of text.split(SPECIAL_SPLIT)) {
      if (piece === END_OF_TEXT || piece === UNKNOWN) {
        out.push(this.ids.get(piece)!);
        continue;
      }
      for (const ch of piece) {
        const id = this.ids.get(ch);
        if (id === undefined) {
          out.push(this.unkId);
          unknown.set(ch, (unknown.get(ch) ?? 0) + 1);
        } else {
          out.push(id);
        }
      }
    }
    return { ids: Int32Array.from(out), unknown: summariseUnknown(unknown) };
  }

  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    checkIds(ids, this.vocabSize);
    let text = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (options.skipSpecialTokens && (id === this.endOfTextId || id === this.unkId)) continue;
      text += this.tokens[id];
    }
    return text;
  }

  coversChar(char: string): boolean {
    return char !== END_OF_TEXT && char !== UNKNOWN && this.ids.has(char);
  }

  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }
}

function summariseUnknown(counts: Map<string, number>): UnknownChars {
  const chars = [...counts].map(([char, count]) => ({ char, count }));
  chars.sort((a, b) => b.count - a.count || a.char.codePointAt(0)! - b.char.codePointAt(0)!);
  return { count: chars.reduce((sum, c) => sum + c.count, 0), chars };
}
