/**
 * GGUF LoRA adapters (llama.cpp convert_lora_to_gguf.py, src/llama-adapter.cpp): metadata
 * `general.type = "adapter"`, `adapter.type = "lora"`, `adapter.lora.alpha` (f32); tensors
 * `<base tensor>.lora_a` with ggml shape [d_in, r] and `.lora_b` [r, d_out] (ggml lists the
 * fastest dimension first, so the bytes are PEFT's A [r, d_in] and B [d_out, r] row-major).
 * llama.cpp scales by alpha / r with r = lora_b's ne[0]; alpha 0 or missing means scale 1.
 * The header is parsed by @huggingface/gguf through a fetch that serves ranges of the bytes.
 */
import { gguf, type GGUFParseOutput } from '@huggingface/gguf';
import { errorMessage, UserFacingError } from '../types';
import { checkRank, completePairs, num, PairCollector, short, shapeText, transposeF32 } from './factors';
import { DECODABLE, decodeGgml, ggmlBytes } from './ggufDecode';
import { ggufToHfName } from './names';
import type { AdapterModule, Lint, ParsedAdapter } from './types';

const MAGIC = [0x47, 0x47, 0x55, 0x46]; // "GGUF"
/** A 70B model with LoRA on every linear layer has 1,120 factor tensors. */
const MAX_GGUF_TENSORS = 100_000;

/** True when the bytes start with GGUF's magic number. */
export const isGguf = (bytes: Uint8Array): boolean => MAGIC.every((b, i) => bytes[i] === b);

/** A fetch that answers HTTP range requests from memory (how the parser reads a local file). */
function rangeFetch(bytes: Uint8Array): typeof fetch {
  return (async (_input: unknown, init?: { headers?: Record<string, string> }) => {
    const range = /bytes=(\d+)-(\d+)/.exec(init?.headers?.Range ?? '');
    const start = range ? Math.min(Number(range[1]), bytes.length) : 0;
    const end = range ? Math.min(Number(range[2]) + 1, bytes.length) : bytes.length;
    return new Response(bytes.slice(start, end), {
      status: 206,
      headers: { 'content-range': `bytes ${start}-${Math.max(start, end - 1)}/${bytes.length}` },
    });
  }) as typeof fetch;
}

const fail = (path: string, why: string): never => {
  throw new UserFacingError(`${short(path)} is not a valid GGUF file: ${why}`);
};

async function parseHeader(path: string, bytes: Uint8Array): Promise<GGUFParseOutput> {
  if (bytes.length < 24 || !isGguf(bytes)) fail(path, 'it does not start with the GGUF magic number');
  // The counts bound the parser's work: check them against the file's size before it starts
  // (every tensor info takes at least 24 bytes, every key/value pair at least 12).
  const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
  const version = view.getUint32(4, true);
  if (version === 2 || version === 3) {
    const tensors = view.getBigUint64(8, true);
    const kvs = view.getBigUint64(16, true);
    if (tensors > BigInt(MAX_GGUF_TENSORS)) fail(path, `it declares ${tensors} tensors (at most ${MAX_GGUF_TENSORS})`);
    if (tensors * 24n + kvs * 12n > BigInt(bytes.length))
      fail(
        path,
        `it declares ${tensors} tensors and ${kvs} metadata entries, more than ${bytes.length} bytes can hold`,
      );
  }
  try {
    // The URL is never requested: the fetch above serves every range from `bytes`.
    return await gguf('https://adapter.invalid/adapter.gguf', { fetch: rangeFetch(bytes) });
  } catch (e) {
    return fail(path, errorMessage(e).slice(0, 200));
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Reads a GGUF LoRA adapter; tensor data is decoded to F32 (F32, F16, BF16 and Q8_0). */
export async function readGguf(
  path: string,
  bytes: Uint8Array,
): Promise<Omit<ParsedAdapter, 'format' | 'reasons' | 'files'>> {
  const header = await parseHeader(path, bytes);
  if (!header.littleEndian) fail(path, 'big-endian GGUF files are not supported');
  const md = header.metadata as Record<string, unknown>;
  const type = str(md['general.type']);
  if (type !== 'adapter')
    throw new UserFacingError(
      `${short(path)} is a GGUF ${type ? `"${short(type, 20)}"` : 'file without general.type'}, not a LoRA adapter (general.type must be "adapter")`,
    );
  const adapterType = str(md['adapter.type']);
  if (adapterType !== 'lora')
    throw new UserFacingError(
      `${short(path)}: adapter.type is ${adapterType ? `"${short(adapterType, 20)}"` : 'missing'}, not "lora"`,
    );
  const architecture = str(md['general.architecture']);
  const rawAlpha = md['adapter.lora.alpha'];
  const alpha = typeof rawAlpha === 'number' && Number.isFinite(rawAlpha) && rawAlpha !== 0 ? rawAlpha : null;
  const lints: Lint[] = [];
  if (alpha === null) {
    lints.push({
      id: 'missing-alpha',
      severity: 'info',
      message: 'adapter.lora.alpha is missing or 0, so llama.cpp applies the factors with scale 1',
      fix: 'Nothing to fix if that is intended; convert_lora_to_gguf.py writes lora_alpha from adapter_config.json',
    });
  }
  const dataStart = Number(header.tensorDataOffset);
  const collector = new PairCollector();
  const extras: ParsedAdapter['extras'] = [];
  const unexpected: string[] = [];
  for (const info of header.tensorInfos) {
    const shape = info.shape.map(Number).reverse(); // ggml ne[0] is the fastest dimension
    const m = /^(.+)\.lora_([ab])$/.exec(info.name);
    if (!m) {
      // llama.cpp skips *_norm.weight (mergekit-extract-lora adds them) and refuses anything else.
      if (info.name.endsWith('_norm.weight')) extras.push({ key: info.name, shape });
      else unexpected.push(info.name);
      continue;
    }
    const dtype = DECODABLE[info.dtype];
    if (!dtype)
      throw new UserFacingError(
        `${short(path)}: tensor ${short(info.name)} is of ggml type ${info.dtype}; only F32, F16, BF16 and Q8_0 can be read (re-export with convert_lora_to_gguf.py --outtype f32)`,
      );
    if (shape.length !== 2)
      fail(path, `tensor ${short(info.name)} has ${shape.length} dimensions, a LoRA factor has 2`);
    const count = shape[0] * shape[1];
    const size = ggmlBytes(info.dtype, count, shape[1]);
    if (size === null)
      fail(path, `tensor ${short(info.name)} ${shapeText(shape)}: rows must be a multiple of 32 for Q8_0`);
    const begin = dataStart + Number(info.offset);
    if (!Number.isSafeInteger(begin) || begin + (size as number) > bytes.length)
      fail(path, `tensor ${short(info.name)} runs past the end of the file (${bytes.length} bytes)`);
    collector.add(m[1], m[2] as 'a' | 'b', { shape, data: decodeGgml(bytes, begin, count, info.dtype), dtype });
  }
  if (unexpected.length > 0) {
    lints.push({
      id: 'unexpected-tensor',
      severity: 'error',
      message: `${unexpected.length} tensor${unexpected.length > 1 ? 's' : ''} with an unexpected suffix (e.g. ${short(unexpected[0])}); llama.cpp refuses such a file`,
      fix: 'Keep only <tensor>.lora_a / .lora_b pairs (and *_norm.weight); re-run convert_lora_to_gguf.py',
    });
  }
  const modules: AdapterModule[] = [];
  for (const p of completePairs(collector.pairs.values(), ['lora_a', 'lora_b'], lints)) {
    const embedding = p.key.endsWith('token_embd.weight');
    // llama.cpp: token_embd's pair is flipped (lora_a [vocab, r], lora_b [n_embd, r]); ΔW = s·a·bᵀ.
    const r = embedding ? p.a.shape[1] : p.a.shape[0];
    const fits = embedding ? p.b.shape[1] === r : p.b.shape[1] === r;
    if (!fits)
      throw new UserFacingError(
        `${short(p.key)}: lora_a ${shapeText([...p.a.shape].reverse())} and lora_b ${shapeText([...p.b.shape].reverse())} (ggml order) disagree on the rank`,
      );
    const A = embedding ? { shape: [r, p.b.shape[0]], data: transposeF32(p.b.data, p.b.shape[0], r) } : p.a;
    const B = embedding ? p.a : p.b;
    const mod: AdapterModule = {
      name: ggufToHfName(p.key, architecture) ?? p.key,
      key: p.key,
      kind: embedding ? 'embedding' : 'linear',
      A: { shape: A.shape, data: A.data },
      B: { shape: B.shape, data: B.data },
      r,
      alpha,
      scaling: alpha === null ? 1 : alpha / r,
      scalingRule: alpha === null ? 'no alpha: s = 1' : `alpha/r = ${num(alpha)}/${r}`,
      stored: {
        a: { shape: [...p.a.shape].reverse(), dtype: p.a.dtype },
        b: { shape: [...p.b.shape].reverse(), dtype: p.b.dtype },
      },
    };
    checkRank(mod);
    modules.push(mod);
  }
  if (modules.length === 0)
    throw new UserFacingError(`${short(path)} has no LoRA tensor pairs (<tensor>.lora_a / .lora_b)`);
  const metadata: Record<string, string> = {};
  for (const k of ['general.architecture', 'general.name', 'general.base_model.0.name', 'adapter.lora.alpha']) {
    if (md[k] !== undefined) metadata[k] = short(String(md[k]), 200);
  }
  return {
    modules,
    extras,
    lints,
    baseModel: str(md['general.base_model.0.name']) ?? str(md['general.name']),
    taskType: null,
    architecture,
    peft: null,
    mlx: null,
    metadata,
  };
}
