/** JSON helpers shared by the PEFT and Hugging Face file writers/readers. */
import { sniffFileKind, wrongKindMessage, wrongTextMessage } from '../fileKind';
import { nestingDepth } from '../jsonDepth';
import { UserFacingError } from '../types';

/** PEFT and transformers configs nest 3–4 levels; far deeper JSON is refused before parsing. */
const MAX_DEPTH = 64;
/** Config files are KiB; 1 MiB leaves room for per-module rank_pattern keys of 4,096 modules. */
const MAX_JSON_BYTES = 1024 ** 2;

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
  if (bytes.length > MAX_JSON_BYTES)
    throw new UserFacingError(
      `${fileName} is ${(bytes.length / 1024 ** 2).toFixed(1)} MiB; a config file is a few KiB (at most ${MAX_JSON_BYTES / 1024 ** 2} MiB)`,
    );
  const first = bytes.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first >= 0 && bytes[first] !== 0x7b && bytes[first] !== 0x5b && bytes[first] !== 0xef) {
    const kind = wrongKindMessage(sniffFileKind(bytes), fileName); // a pickle or a zip is not UTF-8: say what it is
    if (kind) throw new UserFacingError(`${fileName}: ${kind}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserFacingError(`${fileName} is not valid UTF-8 text`);
  }
  const mixup = wrongTextMessage(text, fileName);
  if (mixup) throw new UserFacingError(`${fileName}: ${mixup}`);
  if (nestingDepth(text, MAX_DEPTH) > MAX_DEPTH)
    throw new UserFacingError(`${fileName} nests JSON more than ${MAX_DEPTH} levels deep: it is not a config file`);
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
