/**
 * Finds a PEFT adapter's two files among those given (a folder, a zip's entries, loose files) and,
 * when they are not there, says what was given instead: a PyTorch pickle, a GGUF, a full model
 * checkpoint, or the files under a browser's "(1)" download name.
 */
import { UserFacingError } from '../types';

export const WEIGHTS = 'adapter_model.safetensors';
export const CONFIG = 'adapter_config.json';

export interface LocatedFile {
  path: string;
  bytes: Uint8Array;
}

export interface LocatedAdapter {
  weights: LocatedFile;
  config: LocatedFile;
  warnings: string[];
}

const short = (s: string): string => (s.length > 100 ? `${s.slice(0, 100)}…` : s);
const PYTORCH = /\.(bin|pt|pth|ckpt)$/i;
/** "adapter_model (1).safetensors", "adapter_config(2).json": what browsers save a second download as. */
const DOWNLOAD_COPY = /^(adapter_model|adapter_config) ?\(\d+\)(\.safetensors|\.json)$/;

/**
 * The adapter files by base name, wherever a folder prefix puts them.
 * @throws UserFacingError when a file is missing (saying what was found instead) or doubled.
 */
export function locateAdapterFiles(files: Map<string, Uint8Array>): LocatedAdapter {
  const found = new Map<string, LocatedFile>();
  const copies = new Map<string, LocatedFile>();
  const others: string[] = [];
  for (const [path, bytes] of files) {
    const parts = path.replace(/\\/g, '/').split('/');
    const base = parts[parts.length - 1];
    if (parts.includes('__MACOSX') || base.startsWith('._')) continue; // Finder's resource forks
    const copy = DOWNLOAD_COPY.exec(base);
    if (copy) {
      if (!copies.has(copy[1] + copy[2])) copies.set(copy[1] + copy[2], { path, bytes });
      continue;
    }
    if (base !== WEIGHTS && base !== CONFIG) {
      others.push(base);
      continue;
    }
    const previous = found.get(base);
    if (previous) {
      throw new UserFacingError(
        `Found two ${base} files (${short(previous.path)} and ${short(path)}): import one adapter at a time`,
      );
    }
    found.set(base, { path, bytes });
  }
  const warnings: string[] = [];
  for (const [name, file] of copies) {
    if (found.has(name)) continue;
    found.set(name, file);
    warnings.push(`${short(file.path)} was read as ${name} (a browser renames a second download so)`);
  }
  const weights = found.get(WEIGHTS);
  const config = found.get(CONFIG);
  if (!weights) throw new UserFacingError(missingWeights(others));
  const pickles = others.filter((n) => PYTORCH.test(n));
  if (pickles.length > 0) warnings.push(`${pickles[0]} (a PyTorch pickle) was ignored; ${WEIGHTS} was used`);
  if (!config)
    throw new UserFacingError(
      `${CONFIG} is missing: it holds r and lora_alpha, without which the adapter's scale is unknown`,
    );
  return { weights, config, warnings };
}

/** The message when adapter_model.safetensors is absent, naming what was given instead. */
function missingWeights(others: string[]): string {
  const pickle = others.find((n) => PYTORCH.test(n));
  if (pickle) {
    return `${short(pickle)} is a PyTorch pickle: convert to safetensors (never unpickled here), e.g. in Python: PeftModel.from_pretrained(base, folder).save_pretrained(out) writes ${WEIGHTS}`;
  }
  const gguf = others.find((n) => /\.gguf$/i.test(n));
  if (gguf) {
    return `${short(gguf)} is a GGUF file (llama.cpp's format), not a PEFT adapter: give ${WEIGHTS} and ${CONFIG}`;
  }
  if (others.includes('model.safetensors') || others.includes('config.json')) {
    return `these are a full model's files (model.safetensors / config.json), not a PEFT adapter (${WEIGHTS} + ${CONFIG}): load a full model as your own model on the Train page`;
  }
  const safetensors = others.find((n) => n.endsWith('.safetensors'));
  const given = others.length > 0 ? ` (given: ${others.slice(0, 4).map(short).join(', ')})` : '';
  if (safetensors) {
    return `${WEIGHTS} is missing${given}: rename ${short(safetensors)} to ${WEIGHTS} if it is the adapter's weights`;
  }
  return `${WEIGHTS} is missing${given}: a PEFT adapter needs ${WEIGHTS} and ${CONFIG}`;
}
