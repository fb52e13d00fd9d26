/**
 * What the Export panel zips: an adapter's PEFT files in a folder named after it, and, for a base
 * that is not on the Hugging Face Hub, the base beside it, so the model card's Python runs as is.
 */
import type { ModelSummary } from '../../../engine/session/types';
import { SHIPPED_MODEL } from '../../lm/lmClient';

export const ADAPTER_FILES = ['adapter_model.safetensors', 'adapter_config.json', 'README.md'] as const;
export type AdapterFileName = (typeof ADAPTER_FILES)[number];
const BASE_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;
type Bytes = Uint8Array | string;

/** Bases that exist only in this app (the shipped tiny GPT-2, a random init): no Hub id to load them by. */
const LOCAL_BASES: readonly string[] = [SHIPPED_MODEL.name, 'random-init'];

/**
 * The folder the base goes to beside the adapter when it is not on the Hub: `<base>-base` for the
 * app's own bases (as "Export base model" names it), the base's own folder name for one loaded
 * from disk (made safe as a relative path); undefined for a model downloaded from the Hub, which
 * PEFT loads by its repo id.
 */
export function localBaseFolder(model: Pick<ModelSummary, 'name' | 'hub'>): string | undefined {
  if (model.hub) return undefined;
  if (LOCAL_BASES.includes(model.name)) return `${model.name}-base`;
  const safe = model.name
    .split('/')
    .map((part) => part.replace(/[^\w.-]/g, '-').replace(/^\.+/, ''))
    .filter((part) => part !== '')
    .join('/');
  return safe || 'base';
}

/** The zip's file name for an adapter: `<adapter>-peft-adapter.zip`. */
export const adapterZipName = (adapter: string): string => `${adapter}-peft-adapter.zip`;

/** The zip's file name for base + adapter: `<adapter>-with-base.zip`. */
export const togetherZipName = (adapter: string): string => `${adapter}-with-base.zip`;

/** Zip entries: `<adapter>/<file>` for the adapter, and `<baseFolder>/<file>` for the base when given. */
export function zipEntries(
  adapter: string,
  files: Record<AdapterFileName, Bytes>,
  base?: { folder: string; files: Record<(typeof BASE_FILES)[number], Bytes> },
): Record<string, Bytes> {
  const entries: Record<string, Bytes> = Object.fromEntries(ADAPTER_FILES.map((f) => [`${adapter}/${f}`, files[f]]));
  if (base) for (const f of BASE_FILES) entries[`${base.folder}/${f}`] = base.files[f];
  return entries;
}
