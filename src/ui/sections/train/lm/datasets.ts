/**
 * Where the Train page's documents come from: the shipped tasks (public/data, fetched from the
 * app's own origin and cached) and the learner's own text (checked on the main thread with the
 * loaded model's tokenizer: prepareUserText is fast, 200 KiB at most).
 */
import { loadTask, type DataManifest, type ShippedTaskId, type TextDataset } from '../../../../engine/data/tasks';
import type { UserTextReport } from '../../../../engine/data/userText';
import type { TextTokenizer } from '../../../../engine/tokenizer/types';

const dataUrl = (f: string) => new URL(`./data/${f}`, window.location.href).href;

async function fetchText(file: string): Promise<string> {
  const res = await fetch(dataUrl(file));
  if (!res.ok) throw new Error(`${file}: HTTP ${res.status}`);
  return res.text();
}

let manifest: Promise<DataManifest> | null = null;
const tasks = new Map<ShippedTaskId, Promise<TextDataset>>();

export function dataManifest(): Promise<DataManifest> {
  manifest ??= fetchText('manifest.json').then((t) => JSON.parse(t) as DataManifest);
  manifest.catch(() => (manifest = null));
  return manifest;
}

/** A shipped task's train/validation documents (fetched once per page). */
export function shippedTask(id: ShippedTaskId): Promise<TextDataset> {
  let p = tasks.get(id);
  if (!p) {
    p = dataManifest().then((m) => loadTask(m, id, fetchText));
    p.catch(() => tasks.delete(id));
    tasks.set(id, p);
  }
  return p;
}

const tokenizers = new Map<string, Promise<TextTokenizer>>();

/** The loaded model's tokenizer on the main thread (character tokenizer, else byte-level BPE). */
export function tokenizerFor(json: string): Promise<TextTokenizer> {
  let p = tokenizers.get(json);
  if (!p) {
    p = (async () => {
      const { charTokenizerFromJson } = await import('../../../../engine/tokenizer/tokenizerJson');
      try {
        return charTokenizerFromJson(json);
      } catch {
        const { loadHfTokenizer } = await import('../../../../engine/tokenizer/hfTokenizer');
        return loadHfTokenizer(json);
      }
    })();
    tokenizers.clear(); // one model at a time: keep only the current tokenizer
    tokenizers.set(json, p);
  }
  return p;
}

export interface PreparedText {
  dataset: TextDataset;
  report: UserTextReport;
}

/** The learner's text as a dataset, or a message that says what to change. */
export async function prepareText(
  text: string | Uint8Array,
  tokenizerJson: string,
  seed: number,
): Promise<PreparedText> {
  const [{ prepareUserText }, tokenizer] = await Promise.all([
    import('../../../../engine/data/userText'),
    tokenizerFor(tokenizerJson),
  ]);
  return prepareUserText(text, tokenizer, { seed });
}
