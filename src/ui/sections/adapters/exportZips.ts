/**
 * What the Export panel zips: an adapter's PEFT files in a folder named after it, and, for a base
 * that is not on the Hugging Face Hub, the base beside it, so the model card's Python runs as is.
 */
import { SHIPPED_MODEL } from '../../lm/lmClient';

export const ADAPTER_FILES = ['adapter_model.safetensors', 'adapter_config.json', 'README.md'] as const;
export type AdapterFileName = (typeof ADAPTER_FILES)[number];
const BASE_FILES = ['config.json', 'model.safetensors', 'tokenizer.json'] as const;
type Bytes = Uint8Array | string;

/** Bases that exist only in this app (the shipped tiny GPT-2, a random init): no Hub id to load them by. */
const LOCAL_BASES: readonly string[] = [SHIPPED_MODEL.name, 'random-init'];

/**
 * The folder the base is exported to (`<base>-base`, as "Export base model" names it) when the
 * base is not on the Hub; undefined for a Hub model, which PEFT loads by its repo id.
 */
export function localBaseFolder(modelName: string): string | undefined {
  return LOCAL_BASES.includes(modelName) ? `${modelName}-base` : undefined;
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
