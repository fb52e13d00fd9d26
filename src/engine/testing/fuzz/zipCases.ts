/**
 * Malformed zip archives around a valid adapter: truncations, corrupted headers and data, hostile
 * names, limits, and archives that hold malformed adapter files. Each is invalid by construction.
 */
import type { Rng } from '../../rng';
import { zipFiles } from '../../zip';
import { mutateConfig } from './configCases';
import { OTHER_KINDS } from './fileKindCases';
import { mutateSafetensors, type Mutation } from './safetensorsCases';

export interface ValidAdapterFiles {
  safetensors: Uint8Array;
  config: string;
  readme: string;
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

interface Layout {
  eocd: number;
  dirOffset: number;
  /** Central entries: header offset, local header offset, compressed size. */
  entries: { at: number; local: number; compressedSize: number; nameLength: number }[];
}

function layout(zip: Uint8Array): Layout {
  const v = new DataView(zip.buffer, zip.byteOffset);
  const eocd = zip.length - 22; // zipFiles writes no comment
  const dirOffset = v.getUint32(eocd + 16, true);
  const entries: Layout['entries'] = [];
  for (let i = 0, at = dirOffset; i < v.getUint16(eocd + 10, true); i++) {
    const nameLength = v.getUint16(at + 28, true);
    entries.push({ at, local: v.getUint32(at + 42, true), compressedSize: v.getUint32(at + 20, true), nameLength });
    at += 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return { eocd, dirOffset, entries };
}

function withView(zip: Uint8Array, edit: (v: DataView, l: Layout) => string): Mutation {
  const out = zip.slice();
  const description = edit(new DataView(out.buffer), layout(out));
  return { description, bytes: out };
}

/** Replaces every occurrence of an ASCII string of the same length (local and central names). */
function patchAll(zip: Uint8Array, from: string, to: string): Uint8Array {
  const out = zip.slice();
  const a = new TextEncoder().encode(from);
  const b = new TextEncoder().encode(to);
  for (let i = 0; i + a.length <= out.length; i++) if (a.every((x, j) => out[i + j] === x)) out.set(b, i);
  return out;
}

type Operator = (rng: Rng, zip: Uint8Array, valid: ValidAdapterFiles) => Mutation;

const operators: Record<string, Operator> = {
  truncate: (rng, zip) => {
    const at = rng.int(zip.length);
    return { description: `truncated to ${at} of ${zip.length} bytes`, bytes: zip.slice(0, at) };
  },
  flipCrc: (rng, zip) =>
    withView(zip, (v, l) => {
      const e = pick(rng, l.entries);
      const at = e.at + 16 + rng.int(4);
      v.setUint8(at, v.getUint8(at) ^ (1 << rng.int(8)));
      return 'a bit of a stored CRC-32 flipped';
    }),
  flipSize: (rng, zip) =>
    withView(zip, (v, l) => {
      const e = pick(rng, l.entries);
      const bit = rng.int(32);
      v.setUint32(e.at + 24, (v.getUint32(e.at + 24, true) ^ (1 << bit)) >>> 0, true);
      return `bit ${bit} of an uncompressed size flipped`;
    }),
  corruptData: (rng, zip) =>
    withView(zip, (v, l) => {
      const e = pick(
        rng,
        l.entries.filter((x) => x.compressedSize > 2),
      );
      const start = e.local + 30 + v.getUint16(e.local + 26, true) + v.getUint16(e.local + 28, true);
      const at = start + rng.int(e.compressedSize - 1); // the last byte may hold unused padding bits
      v.setUint8(at, v.getUint8(at) ^ (1 << rng.int(8)));
      return `bit flipped in compressed data at byte ${at}`;
    }),
  method: (rng, zip) =>
    withView(zip, (v, l) => {
      const method = pick(rng, [1, 6, 9, 12, 14, 93, 99]);
      v.setUint16(pick(rng, l.entries).at + 10, method, true);
      return `compression method set to ${method}`;
    }),
  encrypted: (rng, zip) =>
    withView(zip, (v, l) => {
      const e = pick(rng, l.entries);
      v.setUint16(e.at + 8, v.getUint16(e.at + 8, true) | 1, true);
      return 'entry marked encrypted';
    }),
  signature: (rng, zip) =>
    withView(zip, (v, l) => {
      const e = pick(rng, l.entries);
      const [where, at] = pick(rng, [
        ['local header', e.local],
        ['central header', e.at],
        ['end record', l.eocd],
      ] as [string, number][]);
      const p = at + rng.int(4);
      v.setUint8(p, v.getUint8(p) ^ 0xff);
      return `${where} signature corrupted`;
    }),
  directoryOffset: (rng, zip) =>
    withView(zip, (v, l) => {
      let offset = rng.int(zip.length + 100);
      if (offset === l.dirOffset) offset += 1;
      v.setUint32(l.eocd + 16, pick(rng, [offset, 0xfffffffe]), true);
      return 'central directory offset forged';
    }),
  entryCount: (rng, zip) =>
    withView(zip, (v, l) => {
      const count = pick(rng, [0, l.entries.length + 1, 65, 0xfffe]);
      v.setUint16(l.eocd + 10, count, true);
      return `entry count forged to ${count}`;
    }),
  hostileNames: (rng, _zip, valid) => {
    const name = pick(rng, [
      '../adapter_config.json',
      '/adapter_config.json',
      'a/../../adapter_config.json',
      'C:/x/adapter_config.json',
      '..\\adapter_config.json',
    ]);
    return {
      description: `entry named ${name}`,
      bytes: zipFiles({ [name]: valid.config, 'adapter_model.safetensors': valid.safetensors }),
    };
  },
  tooManyEntries: (rng, _zip, valid) => {
    const files: Record<string, Uint8Array | string> = {
      'adapter_config.json': valid.config,
      'adapter_model.safetensors': valid.safetensors,
    };
    for (let i = 0, n = 63 + rng.int(20); i < n; i++) files[`pad/${i}.txt`] = 'x';
    return { description: 'more than 64 entries', bytes: zipFiles(files) };
  },
  duplicateEntry: (_rng, _zip, valid) => ({
    description: 'the same entry name twice',
    bytes: patchAll(
      zipFiles({
        'q/adapter_config.json': valid.config,
        'r/adapter_config.json': valid.config,
        'adapter_model.safetensors': valid.safetensors,
      }),
      'r/adapter_config',
      'q/adapter_config',
    ),
  }),
  declaredHuge: (rng, zip) =>
    withView(zip, (v, l) => {
      v.setUint32(pick(rng, l.entries).at + 24, 0x20000000 + rng.int(0x40000000), true);
      return 'an uncompressed size declared above 512 MB';
    }),
  wrongContents: (rng, _zip, valid) => {
    const choice = rng.int(3);
    const files: Record<string, Uint8Array | string>[] = [
      { 'README.md': valid.readme },
      { 'adapter_model.bin': new Uint8Array([0x80, 0x02, 0x7d, 0x71]), 'adapter_config.json': valid.config },
      {
        'a/adapter_config.json': valid.config,
        'b/adapter_config.json': valid.config,
        'adapter_model.safetensors': valid.safetensors,
      },
    ];
    return {
      description: ['no adapter files', 'a pickled adapter_model.bin', 'two adapters'][choice],
      bytes: zipFiles(files[choice]),
    };
  },
  garbage: (rng) => {
    const bytes = new Uint8Array(rng.int(300)).map(() => rng.int(256));
    if (bytes.length > 2 && rng.int(2)) bytes.set([0x50, 0x4b], 0);
    return { description: `${bytes.length} random bytes`, bytes };
  },
  otherFiles: (rng, _zip, valid) => {
    const choices: [string, Record<string, Uint8Array | string>, RegExp][] = [
      ['pytorch_model.bin', { 'pytorch_model.bin': 'x' }, /pytorch_model\.bin is a PyTorch pickle: convert/],
      ['adapter_model.pt', { 'a/adapter_model.pt': 'x' }, /adapter_model\.pt is a PyTorch pickle: convert/],
      ['a GGUF', { 'adapter.gguf': 'GGUF' }, /GGUF file .*not a PEFT adapter/],
      ['a full model', { 'model.safetensors': valid.safetensors, 'config.json': '{}' }, /full model's files/],
      ['weights.safetensors', { 'weights.safetensors': valid.safetensors }, /rename weights\.safetensors/],
    ];
    const [what, extra, message] = pick(rng, choices);
    return {
      description: `${what} instead of adapter_model.safetensors`,
      bytes: zipFiles({ 'adapter_config.json': valid.config, ...extra }),
      message,
    };
  },
  downloadCopies: (_rng, _zip, valid) => ({
    description: 'valid: both files under a browser\'s "(1)" download names',
    bytes: zipFiles({ 'adapter_model (1).safetensors': valid.safetensors, 'adapter_config(2).json': valid.config }),
    accepted: /was read as adapter_model\.safetensors/,
  }),
  otherKindInside: (rng, _zip, valid) => {
    const k = pick(rng, OTHER_KINDS);
    return {
      description: `adapter_model.safetensors is ${k.what}`,
      bytes: zipFiles({ 'adapter_config.json': valid.config, 'adapter_model.safetensors': k.bytes(rng) }),
      message: k.message,
    };
  },
  innerSafetensors: (rng, _zip, valid) => {
    const m = mutateSafetensors(rng, valid.safetensors);
    return {
      ...m,
      description: `zip holding ${m.description}`,
      bytes: zipFiles({ 'adapter_config.json': valid.config, 'adapter_model.safetensors': m.bytes }),
    };
  },
  innerConfig: (rng, _zip, valid) => {
    const m = mutateConfig(rng, valid.config);
    return {
      ...m,
      description: `zip holding ${m.description}`,
      bytes: zipFiles({ 'adapter_config.json': m.bytes, 'adapter_model.safetensors': valid.safetensors }),
    };
  },
};

export const ZIP_OPERATORS = Object.keys(operators);

const zips = new WeakMap<ValidAdapterFiles, Uint8Array>();

/** The valid archive the zip operators start from (made once per adapter; callers get a copy). */
export function validZip(valid: ValidAdapterFiles): Uint8Array {
  let zip = zips.get(valid);
  if (!zip) zips.set(valid, (zip = makeValidZip(valid)));
  return zip.slice();
}

function makeValidZip(valid: ValidAdapterFiles): Uint8Array {
  return zipFiles({
    'adapter/adapter_config.json': valid.config,
    'adapter/adapter_model.safetensors': valid.safetensors,
    'adapter/README.md': valid.readme,
  });
}

/** One malformed archive around a valid adapter. */
export function mutateZip(rng: Rng, valid: ValidAdapterFiles, operator = pick(rng, ZIP_OPERATORS)): Mutation {
  const m = operators[operator](rng, validZip(valid), valid);
  return { ...m, description: `zip/${operator}: ${m.description}` };
}
