/** JSON helpers shared by the PEFT and Hugging Face file writers/readers. */
import { wrongTextMessage } from '../fileKind';
import { UserFacingError } from '../types';

/** Recursively sorts object keys, like Python's `json.dumps(sort_keys=True)`. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      Object.defineProperty(out, k, { value: sortKeys((value as Record<string, unknown>)[k]), enumerable: true });
    }
    return out;
  }
  return value;
}

/** JSON the way PEFT and transformers write their configs: sorted keys, indent 2, final newline. */
export function pythonStyleJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Decodes and parses an untrusted JSON file into an object, naming the file in every error. */
export function parseJsonObject(bytes: Uint8Array, fileName: string): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserFacingError(`${fileName} is not valid UTF-8 text`);
  }
  const mixup = wrongTextMessage(text, fileName);
  if (mixup) throw new UserFacingError(`${fileName}: ${mixup}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UserFacingError(
      `${fileName} is not valid JSON (${e instanceof Error ? e.message.slice(0, 120) : 'parse error'})`,
    );
  }
  if (!isRecord(parsed)) throw new UserFacingError(`${fileName} must contain a JSON object, not ${brief(parsed)}`);
  return parsed;
}

/** A short, safe rendering of an untrusted value for messages (never recursive). */
export function brief(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? '' : 's'}`;
  if (v === null) return 'null';
  if (v === undefined) return 'nothing (the key is missing)';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}
