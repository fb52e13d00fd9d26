/**
 * Any LoRA adapter from the wild → ParsedAdapter: which format it is and why (the file names,
 * the config's keys, the tensor names, GGUF's magic number), then that format's reader.
 * Accepts a PEFT folder or its two files, an MLX folder, a .gguf file, a kohya .safetensors,
 * or a .zip of any of them. Pickles (.bin, .pt, .ckpt) are never opened.
 *
 * Files come as bytes or as ByteSources (a File/Blob, a Node file handle). A .safetensors given as
 * a ByteSource is opened lazily: only its header is read here, and `OpenedAdapter.loadFactors`
 * reads one module's factors at a time, so an inspection never holds the file (zip and GGUF
 * files are read whole).
 */
import type { ByteSource } from '../checkpoint/byteSource';
import { parseJsonObject } from '../peft/json';
import { readSafetensors, type SafetensorsFile } from '../safetensors';
import { UserFacingError } from '../types';
import { unzipFiles } from '../zip';
import { short, transposeF32 } from './factors';
import { isGguf, readGguf } from './gguf';
import { readKohya } from './kohya';
import { isUnread, openLazyWeights, type LazyWeights } from './lazyWeights';
import { readMlx } from './mlx';
import { readPeft } from './peft';
import { FORMAT_LABELS, type AdapterFormat, type AdapterModule, type Lint, type ParsedAdapter } from './types';

/** Adapters are bounded by what a browser tab can hold twice over. */
export const MAX_ADAPTER_BYTES = 2 * 1024 ** 3;
const MAX_FILES = 256;
const PICKLE = /\.(bin|pt|pth|ckpt|pkl)$/i;

const baseName = (path: string) => path.replace(/\\/g, '/').split('/').pop() ?? path;

/** A file's contents: bytes in memory, or a source to read ranges of. */
export type AdapterFileInput = Uint8Array | ByteSource;
const sizeOfFile = (f: AdapterFileInput) => (f instanceof Uint8Array ? f.length : f.size);
/** A whole file's bytes (for zips, GGUF and JSON, which are read whole). */
const whole = async (f: AdapterFileInput) => (f instanceof Uint8Array ? f : f.read(0, f.size));

/** An adapter read or opened: its factors are present, or read one module at a time by `loadFactors`. */
export interface OpenedAdapter {
  /** Modules of a lazily opened file have empty A.data / B.data (shapes, r, scaling are all there). */
  parsed: ParsedAdapter;
  /** `m` with its factors' values (as the eager reader gives them): read now when they are not present. */
  loadFactors(m: AdapterModule): Promise<AdapterModule>;
}

/** Unzips any .zip among the files (one level) and drops Finder's resource forks. */
async function expand(files: Map<string, AdapterFileInput>): Promise<Map<string, AdapterFileInput>> {
  const zips = [...files.keys()].filter((p) => /\.zip$/i.test(p));
  if (zips.length > 1) throw new UserFacingError(`Inspect one adapter at a time: got ${zips.length} zip files`);
  const out = new Map<string, AdapterFileInput>();
  for (const [path, file] of files) {
    if (/\.zip$/i.test(path)) {
      if (sizeOfFile(file) > MAX_ADAPTER_BYTES) tooLarge(sizeOfFile(file));
      for (const [inner, b] of unzipFiles(await whole(file))) out.set(inner, b);
    } else out.set(path, file);
  }
  for (const path of [...out.keys()]) {
    const parts = path.replace(/\\/g, '/').split('/');
    if (parts.includes('__MACOSX') || baseName(path).startsWith('._')) out.delete(path);
  }
  if (out.size > MAX_FILES)
    throw new UserFacingError(`${out.size} files: an adapter folder has a handful; pick the adapter's own folder`);
  let total = 0;
  for (const b of out.values()) total += sizeOfFile(b);
  if (total > MAX_ADAPTER_BYTES) tooLarge(total);
  return out;
}

function tooLarge(total: number): never {
  throw new UserFacingError(
    `${(total / 1024 ** 3).toFixed(1)} GiB of files; adapters up to 2 GiB can be inspected here`,
  );
}

/** Reads a config file whole, refusing a huge one before reading it (parseJsonObject's 1 MiB bound). */
async function readSmall(f: AdapterFileInput, path: string): Promise<Uint8Array> {
  if (sizeOfFile(f) > 1024 ** 2)
    throw new UserFacingError(
      `${short(baseName(path))} is ${(sizeOfFile(f) / 1024 ** 2).toFixed(1)} MiB; a config file is a few KiB (at most 1 MiB)`,
    );
  return whole(f);
}

/** The first bytes of a file (format sniffing). */
const headOf = async (f: AdapterFileInput) =>
  f instanceof Uint8Array ? f.subarray(0, 8) : f.read(0, Math.min(8, f.size));

function readWeights(path: string, bytes: Uint8Array): SafetensorsFile {
  try {
    return readSafetensors(bytes);
  } catch (e) {
    if (e instanceof UserFacingError)
      throw new UserFacingError(
        `${short(path)}: ${e.message.replace(/^Invalid safetensors file: /, 'not a valid safetensors file: ')}`,
      );
    throw e;
  }
}

/** Counts tensor names in each format's style. */
function keyStyles(file: SafetensorsFile): Record<AdapterFormat, number> {
  const n = { peft: 0, mlx: 0, kohya: 0, gguf: 0 };
  for (const key of file.tensors.keys()) {
    if (/\.lora_[AB](\.[^.]+)?\.weight$|\.lora_embedding_[AB](\.[^.]+)?$/.test(key)) n.peft++;
    else if (/\.lora_[ab]$/.test(key)) n.mlx++;
    else if (/\.(lora_(down|up)|lora\.(down|up))\.weight$/.test(key)) n.kohya++;
  }
  return n;
}

function pickWeights(candidates: string[]): string {
  if (candidates.length === 1) return candidates[0];
  const preferred = candidates.filter((p) =>
    ['adapter_model.safetensors', 'adapters.safetensors'].includes(baseName(p)),
  );
  if (preferred.length === 1) return preferred[0];
  throw new UserFacingError(
    `${candidates.length} .safetensors files (${candidates.slice(0, 3).map(baseName).join(', ')}${candidates.length > 3 ? ', …' : ''}): inspect one adapter at a time`,
  );
}

/**
 * Detects an adapter's format and reads it, factors and all.
 * @param input path → bytes or a ByteSource (folder paths allowed; a pickle may be passed empty,
 *   it is never read).
 * @throws UserFacingError saying what was expected when nothing readable is there.
 */
export async function readAdapter(input: Map<string, AdapterFileInput>): Promise<ParsedAdapter> {
  const opened = await openAdapter(input);
  const modules: AdapterModule[] = [];
  for (const m of opened.parsed.modules) modules.push(await opened.loadFactors(m));
  return { ...opened.parsed, modules };
}

/**
 * Detects an adapter's format and reads all of it but the factors of a .safetensors given as a
 * ByteSource (those `loadFactors` reads module by module). Every check of the file's structure
 * (the header, names, shapes, ranks, the config) runs here, before any factor is read.
 * @throws UserFacingError saying what was expected when nothing readable is there.
 */
export async function openAdapter(input: Map<string, AdapterFileInput>): Promise<OpenedAdapter> {
  const eager = (parsed: ParsedAdapter): OpenedAdapter => ({ parsed, loadFactors: async (m) => m });
  const files = await expand(input);
  const list: ParsedAdapter['files'] = [...files].map(([path, b]) => ({
    path,
    bytes: sizeOfFile(b),
    role: 'not used',
  }));
  const role = (path: string, r: string) => list.filter((f) => f.path === path).forEach((f) => (f.role = r));
  const pickles = [...files.keys()].filter((p) => PICKLE.test(p));
  pickles.forEach((p) => role(p, 'PyTorch pickle (never opened)'));
  const pickleLint = (): Lint[] =>
    pickles.length === 0
      ? []
      : [
          {
            id: 'pickle',
            severity: 'warning',
            message: `${short(baseName(pickles[0]))} is a PyTorch pickle; it was never opened (unpickling can run code)`,
            fix: 'Share adapters as safetensors: PeftModel.from_pretrained(base, dir).save_pretrained(out, safe_serialization=True)',
          },
        ];

  const ggufs: [string, AdapterFileInput][] = [];
  for (const [p, b] of files)
    if (/\.gguf$/i.test(p) || (!PICKLE.test(p) && isGguf(await headOf(b)))) ggufs.push([p, b]);
  if (ggufs.length > 1) throw new UserFacingError(`${ggufs.length} GGUF files: inspect one adapter at a time`);
  if (ggufs.length === 1) {
    const [path, file] = ggufs[0];
    role(path, 'GGUF adapter');
    const parsed = await readGguf(path, await whole(file));
    return eager({
      format: 'gguf',
      reasons: [
        `${short(baseName(path))} starts with the GGUF magic number`,
        'its metadata says general.type = "adapter", adapter.type = "lora"',
      ],
      files: list,
      ...parsed,
      lints: [...pickleLint(), ...parsed.lints],
    });
  }

  const weights = [...files.keys()].filter((p) => /\.safetensors$/i.test(p));
  if (weights.length === 0) {
    if (pickles.length > 0)
      throw new UserFacingError(
        `${short(baseName(pickles[0]))} is a PyTorch pickle and is never opened here (unpickling can run code): convert it to safetensors first`,
      );
    if ([...files.keys()].some((p) => /\.npz$/i.test(p)))
      throw new UserFacingError(
        'adapters.npz is the old mlx-examples format: re-save it with mlx-lm as adapters.safetensors',
      );
    const got = [...files.keys()].slice(0, 4).map(baseName).join(', ');
    throw new UserFacingError(
      `No adapter found${got ? ` in ${got}` : ''}: expected a .safetensors (PEFT, MLX or kohya), a .gguf, or a .zip of an adapter folder`,
    );
  }
  const weightsPath = pickWeights(weights);
  const configPath = [...files.keys()].find((p) => baseName(p) === 'adapter_config.json') ?? null;
  const config = configPath ? { path: configPath, bytes: await readSmall(files.get(configPath)!, configPath) } : null;
  const configObject = config ? parseJsonObject(config.bytes, short(config.path)) : null;
  const source = files.get(weightsPath)!;
  const lazy = source instanceof Uint8Array ? null : await openLazyWeights(source, weightsPath);
  const file = lazy ? lazy.file : readWeights(weightsPath, source as Uint8Array);
  const styles = keyStyles(file);
  const name = baseName(weightsPath);
  const reasons: string[] = [];
  let format: AdapterFormat;
  if (
    (configObject && 'lora_parameters' in configObject) ||
    (styles.mlx > 0 && styles.mlx >= styles.peft && styles.mlx >= styles.kohya)
  ) {
    format = 'mlx';
    if (configObject && 'lora_parameters' in configObject)
      reasons.push('adapter_config.json has "lora_parameters" (mlx-lm’s config)');
    if (name === 'adapters.safetensors') reasons.push('the weights file is adapters.safetensors (mlx-lm’s name)');
  } else if (styles.peft > 0 && styles.peft >= styles.kohya) {
    format = 'peft';
    if (configObject && ('peft_type' in configObject || 'lora_alpha' in configObject))
      reasons.push(
        `adapter_config.json has ${'peft_type' in configObject ? '"peft_type"' : '"lora_alpha"'} (PEFT’s config)`,
      );
    if (name === 'adapter_model.safetensors')
      reasons.push('the weights file is adapter_model.safetensors (PEFT’s name)');
  } else if (styles.kohya > 0) {
    format = 'kohya';
  } else {
    const example = [...file.tensors.keys()][0];
    throw new UserFacingError(
      `${short(name)} holds no LoRA factors${example ? ` (tensors like ${short(example)})` : ''}: expected PEFT (.lora_A/.lora_B), MLX (.lora_a/.lora_b) or kohya (.lora_down/.lora_up) names`,
    );
  }
  const count = styles[format];
  const style = {
    peft: '….lora_A.weight / ….lora_B.weight',
    mlx: '….lora_a / ….lora_b',
    kohya: '….lora_down.weight / ….lora_up.weight',
    gguf: '',
  }[format];
  reasons.push(`${count} of its ${file.tensors.size} tensor names end in ${style}`);
  role(weightsPath, `${FORMAT_LABELS[format]} weights`);
  if (config && format !== 'kohya') role(config.path, `${FORMAT_LABELS[format]} config`);
  const parsed =
    format === 'mlx'
      ? readMlx({ weights: { path: weightsPath, file }, config })
      : format === 'peft'
        ? readPeft({ weights: { path: weightsPath, file }, config })
        : readKohya(weightsPath, file);
  const adapter: ParsedAdapter = { format, reasons, files: list, ...parsed, lints: [...pickleLint(), ...parsed.lints] };
  return lazy ? { parsed: adapter, loadFactors: (m) => loadLazy(lazy, format, m) } : eager(adapter);
}

/** One module's factors read from a lazily opened file, in PEFT's orientation as the readers give them. */
async function loadLazy(lazy: LazyWeights, format: AdapterFormat, m: AdapterModule): Promise<AdapterModule> {
  if (!m.tensors || !(isUnread(m.A) || isUnread(m.B))) return m;
  const a = await lazy.load(m.tensors.a);
  const b = await lazy.load(m.tensors.b);
  if (format !== 'mlx') return { ...m, A: { shape: m.A.shape, data: a }, B: { shape: m.B.shape, data: b } };
  // mlx-lm stores lora_a [d_in, r] and lora_b [r, d_out]: A = lora_aᵀ, B = lora_bᵀ (as readMlx does).
  const [r, dIn] = m.A.shape;
  const dOut = m.B.shape[0];
  return {
    ...m,
    A: { shape: m.A.shape, data: transposeF32(a, dIn, r) },
    B: { shape: m.B.shape, data: transposeF32(b, r, dOut) },
  };
}
