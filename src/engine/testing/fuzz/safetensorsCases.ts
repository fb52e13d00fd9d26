/**
 * Malformed variants of a valid adapter_model.safetensors. Every operator is built so that its
 * result is invalid by construction (e.g. a bit flip only where any flip breaks the file), so a
 * run that accepts one has found a real bug.
 */
import type { Rng } from '../../rng';
import { OTHER_KINDS } from './fileKindCases';

export interface Mutation {
  description: string;
  bytes: Uint8Array;
  /** What the error message must say (e.g. that the file is a Git LFS pointer). */
  message?: RegExp;
  /** A valid input after all: it must load, with a warning matching this (or `true`: any warnings). */
  accepted?: RegExp | true;
}

interface Parsed {
  n: number;
  headerText: string;
  header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  names: string[];
  data: Uint8Array;
}

const enc = new TextEncoder();

function parse(valid: Uint8Array): Parsed {
  const n = Number(new DataView(valid.buffer, valid.byteOffset).getBigUint64(0, true));
  const headerText = new TextDecoder().decode(valid.subarray(8, 8 + n));
  const header = JSON.parse(headerText) as Parsed['header'];
  return {
    n,
    headerText,
    header,
    names: Object.keys(header).filter((k) => k !== '__metadata__'),
    data: valid.slice(8 + n),
  };
}

/** Assembles a file from header bytes and data, with an optional forged u64 length. */
export function assemble(header: Uint8Array | string, data: Uint8Array, length?: bigint): Uint8Array {
  const h = typeof header === 'string' ? enc.encode(header) : header;
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

type Operator = (rng: Rng, p: Parsed, valid: Uint8Array) => Mutation;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** Rewrites one tensor's header entry, keeping everything else. */
function editEntry(
  p: Parsed,
  rng: Rng,
  edit: (entry: Record<string, unknown>) => void,
): { name: string; bytes: Uint8Array } {
  const name = pick(rng, p.names);
  const header = structuredClone(p.header) as Record<string, Record<string, unknown>>;
  edit(header[name]);
  return { name, bytes: assemble(JSON.stringify(header), p.data) };
}

const BAD_DTYPES = ['I64', 'F64', 'I32', 'U8', 'BOOL', 'F8_E4M3', 'Q4_K', 'f32', '', 'F 32', 'FLOAT'];
const BAD_SHAPES: unknown[] = [[-1], [1.5], '4', null, [[4]], {}, [1e300], [Number.MAX_SAFE_INTEGER, 3], [true]];
const BAD_OFFSETS: unknown[] = [[-4, 0], [0.5, 4], ['0', '4'], [0], [0, 4, 8], null, [1e300, 1e301], {}];

const operators: Record<string, Operator> = {
  truncate: (rng, _p, v) => {
    const at = rng.int(v.length);
    return { description: `truncated to ${at} of ${v.length} bytes`, bytes: v.slice(0, at) };
  },
  appendBytes: (rng, _p, v) => {
    const extra = 1 + rng.int(16);
    const out = new Uint8Array(v.length + extra);
    out.set(v);
    for (let i = v.length; i < out.length; i++) out[i] = rng.int(256);
    return { description: `${extra} stray bytes appended`, bytes: out };
  },
  forgeLength: (rng, p) => {
    const options = [
      2n ** 63n,
      2n ** 64n - 1n,
      1_000_000_000n,
      100_000_001n,
      0n,
      BigInt(p.n + 8 + p.data.length),
      BigInt(p.n - 1 - rng.int(8)),
      BigInt(p.n + 1 + rng.int(8)),
    ];
    const length = pick(rng, options);
    return { description: `header length forged to ${length}`, bytes: assemble(p.headerText, p.data, length) };
  },
  flipLengthBit: (rng, _p, v) => {
    const out = v.slice();
    const bit = rng.int(64);
    out[bit >> 3] ^= 1 << (bit & 7);
    return { description: `bit ${bit} of the header length flipped`, bytes: out };
  },
  flipHeaderBit: (rng, p, v) => {
    // Outside __metadata__ every byte is structure, a name, a dtype or a number: any flip breaks it.
    const metaEnd = p.headerText.indexOf('}') + 1;
    const at = 8 + metaEnd + rng.int(p.n - metaEnd);
    const out = v.slice();
    out[at] ^= 1 << rng.int(8);
    return { description: `bit flipped in header byte ${at - 8}`, bytes: out };
  },
  badDtype: (rng, p) => {
    const dtype = pick(rng, BAD_DTYPES);
    const r = editEntry(p, rng, (e) => (e.dtype = dtype));
    return { description: `dtype of ${r.name} set to "${dtype}"`, bytes: r.bytes };
  },
  halfDtypeSameBytes: (rng, p) => {
    const r = editEntry(p, rng, (e) => (e.dtype = pick(rng, ['F16', 'BF16'])));
    return { description: `${r.name} relabelled as a 2-byte dtype without changing its bytes`, bytes: r.bytes };
  },
  shapeMismatch: (rng, p) => {
    const r = editEntry(p, rng, (e) => {
      const shape = [...(e.shape as number[])];
      const i = rng.int(shape.length);
      shape[i] = Math.max(0, shape[i] + pick(rng, [-1, 1, 7]));
      if (rng.int(3) === 0) shape.push(2);
      e.shape = shape;
    });
    return { description: `shape of ${r.name} no longer matches its bytes`, bytes: r.bytes };
  },
  badShape: (rng, p) => {
    const shape = pick(rng, BAD_SHAPES);
    const r = editEntry(p, rng, (e) => (e.shape = shape));
    return { description: `shape of ${r.name} set to ${JSON.stringify(shape)}`, bytes: r.bytes };
  },
  badOffsets: (rng, p) => {
    const offsets = pick(rng, BAD_OFFSETS);
    const r = editEntry(p, rng, (e) => (e.data_offsets = offsets));
    return { description: `data_offsets of ${r.name} set to ${JSON.stringify(offsets)}`, bytes: r.bytes };
  },
  shiftOffsets: (rng, p) => {
    const delta = pick(rng, [-4, 4, -1, 3, 1 << 20]);
    const r = editEntry(p, rng, (e) => {
      const [b, end] = e.data_offsets as number[];
      e.data_offsets = [Math.max(0, b + delta), Math.max(0, end + delta)];
    });
    return {
      description: `data_offsets of ${r.name} shifted by ${delta} (overlap, gap or out of range)`,
      bytes: r.bytes,
    };
  },
  overlap: (rng, p) => {
    const header = structuredClone(p.header);
    const [a, b] = [pick(rng, p.names), pick(rng, p.names)];
    header[b] = { ...header[a] };
    if (a === b) header[b].data_offsets = [header[a].data_offsets[0] + 4, header[a].data_offsets[1] + 4];
    return { description: `${b} made to share bytes with ${a}`, bytes: assemble(JSON.stringify(header), p.data) };
  },
  nonFinite: (rng, p) => {
    const name = pick(rng, p.names);
    const [b, e] = p.header[name].data_offsets;
    const data = p.data.slice();
    const value = pick(rng, [NaN, Infinity, -Infinity]);
    new DataView(data.buffer).setFloat32(b + 4 * rng.int((e - b) / 4), value, true);
    return { description: `${value} written into ${name}`, bytes: assemble(p.headerText, data) };
  },
  duplicateName: (rng, p) => {
    const name = pick(rng, p.names);
    const text = p.headerText.trimEnd().replace(/}$/, `,${JSON.stringify(name)}:${JSON.stringify(p.header[name])}}`);
    return { description: `tensor ${name} listed twice`, bytes: assemble(text, p.data) };
  },
  dropTensor: (rng, p) => {
    const name = pick(rng, p.names);
    const header = structuredClone(p.header);
    delete header[name];
    const [b, e] = p.header[name].data_offsets;
    for (const k of Object.keys(header)) {
      const o = header[k].data_offsets;
      if (o && o[0] >= e) header[k].data_offsets = [o[0] - (e - b), o[1] - (e - b)];
    }
    const data = new Uint8Array(p.data.length - (e - b));
    data.set(p.data.subarray(0, b));
    data.set(p.data.subarray(e), b);
    return {
      description: `${name} removed (its partner is left alone)`,
      bytes: assemble(JSON.stringify(header), data),
    };
  },
  renameModule: (rng, p) => {
    const header: Record<string, unknown> = {};
    const victim = pick(rng, p.names);
    const suffix = pick(rng, ['lm_head', 'transformer.h.99.attn.c_attn', 'model.layers.0.self_attn.q_proj']);
    for (const [k, v] of Object.entries(p.header))
      header[k === victim ? k.replace(/transformer\.h\.\d+\.\w+\.\w+/, suffix) : k] = v;
    return {
      description: `${victim} renamed to a module the base lacks`,
      bytes: assemble(JSON.stringify(header), p.data),
    };
  },
  badMetadata: (rng, p) => {
    const meta = pick(rng, ['{"format":1}', '["pt"]', 'null', '"pt"', '{"format":{"x":1}}']);
    const text = p.headerText.replace(/"__metadata__":\{[^}]*\}/, `"__metadata__":${meta}`);
    return { description: `__metadata__ set to ${meta}`, bytes: assemble(text, p.data) };
  },
  nonUtf8: (rng, p) => {
    const h = enc.encode(p.headerText);
    const at = p.headerText.indexOf('"', p.headerText.indexOf('}') + 1) + 1 + rng.int(4);
    const seq = pick(rng, [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]);
    const out = new Uint8Array(h.length + seq.length);
    out.set(h.subarray(0, at));
    out.set(seq, at);
    out.set(h.subarray(at), at + seq.length);
    return {
      description: `invalid UTF-8 bytes ${seq.map((b) => b.toString(16)).join(' ')} in a tensor name`,
      bytes: assemble(out, p.data),
    };
  },
  notAnObjectHeader: (rng, p) => {
    const text = pick(rng, [
      ` ${p.headerText}`,
      `[${p.headerText}]`,
      `\ufeff${p.headerText}`,
      '"x"',
      '42',
      'null',
      '',
      '{',
      '{"a":1',
      '{}}',
    ]);
    return { description: `header replaced by ${JSON.stringify(text.slice(0, 12))}…`, bytes: assemble(text, p.data) };
  },
  deepJson: (rng, p) => {
    const depth = 9 + rng.int(rng.int(2) ? 100 : 100_000);
    const open = rng.int(2) ? '[' : '{"a":';
    const close = open === '[' ? ']' : '}';
    const text = `{"${pick(rng, p.names)}":${open.repeat(depth)}1${close.repeat(depth)}}`;
    return { description: `header nested ${depth} levels deep`, bytes: assemble(text, p.data) };
  },
  duplicateModule: (rng, p) => {
    // The same module's factor twice: PEFT's prefixed name and the bare module path.
    const name = pick(rng, p.names);
    const twin = name.replace(/^base_model\.model\./, '');
    const entry = p.header[name];
    const size = entry.data_offsets[1] - entry.data_offsets[0];
    const header = { ...p.header, [twin]: { ...entry, data_offsets: [p.data.length, p.data.length + size] } };
    const data = new Uint8Array(p.data.length + size);
    data.set(p.data);
    data.set(p.data.subarray(entry.data_offsets[0], entry.data_offsets[1]), p.data.length);
    return {
      description: `${twin} added beside ${name}`,
      bytes: assemble(JSON.stringify(header), data),
      message: /two tensors are lora_[AB] of .*: .* and .*; keep one/,
    };
  },
  hugeValues: (rng, p) => {
    // Finite float32 values so large that ΔW = s·B·A overflows inside the model.
    const a = pick(
      rng,
      p.names.filter((n) => n.includes('lora_A')),
    );
    const b = a.replace('lora_A', 'lora_B');
    const value = pick(rng, [1e20, -3e25, 1e30, 3.4e38]);
    const data = p.data.slice();
    const view = new DataView(data.buffer);
    for (const name of [a, b]) {
      const [begin, end] = p.header[name].data_offsets;
      view.setFloat32(begin + 4 * rng.int((end - begin) / 4), value, true);
    }
    return {
      description: `${value} written into ${a} and its lora_B`,
      bytes: assemble(p.headerText, data),
      message: /ΔW = s·B·A can reach .* where float32 overflows/,
    };
  },
  otherFileKind: (rng) => {
    const k = pick(rng, OTHER_KINDS);
    return { description: `replaced by ${k.what}`, bytes: k.bytes(rng), message: k.message };
  },
  hugeJson: (rng, p) => {
    const entries = 1_000 + rng.int(rng.int(4) === 0 ? 30_000 : 5_000); // a quarter up to ~2 MB
    const parts = [];
    for (let i = 0; i < entries; i++)
      parts.push(`"t${i}":{"dtype":"F32","shape":[1],"data_offsets":[${4 * i},${4 * i + 4}]}`);
    return {
      description: `${entries} header entries for ${p.data.length} data bytes`,
      bytes: assemble(`{${parts.join(',')}}`, p.data),
    };
  },
};

export const SAFETENSORS_OPERATORS = Object.keys(operators);

/** One malformed variant of `valid` (a valid adapter_model.safetensors), by a named or random operator. */
export function mutateSafetensors(rng: Rng, valid: Uint8Array, operator = pick(rng, SAFETENSORS_OPERATORS)): Mutation {
  const m = operators[operator](rng, parse(valid), valid);
  return { ...m, description: `safetensors/${operator}: ${m.description}` };
}
