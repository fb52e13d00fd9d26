/**
 * Any LoRA adapter from the wild → ParsedAdapter: which format it is and why (the file names,
 * the config's keys, the tensor names, GGUF's magic number), then that format's reader.
 * Accepts a PEFT folder or its two files, an MLX folder, a .gguf file, a kohya .safetensors,
 * or a .zip of any of them. Pickles (.bin, .pt, .ckpt) are never opened.
 */
import { parseJsonObject } from '../peft/json';
import { readSafetensors, type SafetensorsFile } from '../safetensors';
import { UserFacingError } from '../types';
import { unzipFiles } from '../zip';
import { short } from './factors';
import { isGguf, readGguf } from './gguf';
import { readKohya } from './kohya';
import { readMlx } from './mlx';
import { readPeft } from './peft';
import { FORMAT_LABELS, type AdapterFormat, type Lint, type ParsedAdapter } from './types';

/** Adapters are bounded by what a browser tab can hold twice over. */
export const MAX_ADAPTER_BYTES = 2 * 1024 ** 3;
const MAX_FILES = 256;
const PICKLE = /\.(bin|pt|pth|ckpt|pkl)$/i;

const baseName = (path: string) => path.replace(/\\/g, '/').split('/').pop() ?? path;

/** Unzips any .zip among the files (one level) and drops Finder's resource forks. */
function expand(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const zips = [...files.keys()].filter((p) => /\.zip$/i.test(p));
  if (zips.length > 1) throw new UserFacingError(`Inspect one adapter at a time: got ${zips.length} zip files`);
  const out = new Map<string, Uint8Array>();
  for (const [path, bytes] of files) {
    if (/\.zip$/i.test(path)) for (const [inner, b] of unzipFiles(bytes)) out.set(inner, b);
    else out.set(path, bytes);
  }
  for (const path of [...out.keys()]) {
    const parts = path.replace(/\\/g, '/').split('/');
    if (parts.includes('__MACOSX') || baseName(path).startsWith('._')) out.delete(path);
  }
  if (out.size > MAX_FILES)
    throw new UserFacingError(`${out.size} files: an adapter folder has a handful; pick the adapter's own folder`);
  let total = 0;
  for (const b of out.values()) total += b.length;
  if (total > MAX_ADAPTER_BYTES)
    throw new UserFacingError(
      `${(total / 1024 ** 3).toFixed(1)} GiB of files; adapters up to 2 GiB can be inspected here`,
    );
  return out;
}

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
 * Detects an adapter's format and reads it.
 * @param input path → bytes (folder paths allowed; a pickle may be passed empty, it is never read).
 * @throws UserFacingError saying what was expected when nothing readable is there.
 */
export async function readAdapter(input: Map<string, Uint8Array>): Promise<ParsedAdapter> {
  const files = expand(input);
  const list: ParsedAdapter['files'] = [...files].map(([path, b]) => ({ path, bytes: b.length, role: 'not used' }));
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

  const ggufs = [...files].filter(([p, b]) => /\.gguf$/i.test(p) || isGguf(b));
  if (ggufs.length > 1) throw new UserFacingError(`${ggufs.length} GGUF files: inspect one adapter at a time`);
  if (ggufs.length === 1) {
    const [path, bytes] = ggufs[0];
    role(path, 'GGUF adapter');
    const parsed = await readGguf(path, bytes);
    return {
      format: 'gguf',
      reasons: [
        `${short(baseName(path))} starts with the GGUF magic number`,
        'its metadata says general.type = "adapter", adapter.type = "lora"',
      ],
      files: list,
      ...parsed,
      lints: [...pickleLint(), ...parsed.lints],
    };
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
  const config = configPath ? { path: configPath, bytes: files.get(configPath)! } : null;
  const configObject = config ? parseJsonObject(config.bytes, short(config.path)) : null;
  const file = readWeights(weightsPath, files.get(weightsPath)!);
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
  return { format, reasons, files: list, ...parsed, lints: [...pickleLint(), ...parsed.lints] };
}
