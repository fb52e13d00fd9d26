import { describe, expect, it } from 'vitest';
import { f16BitsToNumber, readSafetensors, writeSafetensors } from './safetensors';
import type { TensorMap } from './types';
import { UserFacingError } from './types';

/** Builds a file from a raw header text and data bytes, bypassing the writer. */
function rawFile(header: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(new Float32Array(values).buffer);

function rejects(bytes: Uint8Array, pattern: RegExp): void {
  let error: unknown;
  try {
    readSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserFacingError);
  expect((error as Error).message).toMatch(pattern);
}

/**
 * An independent minimal parser (no validation), written from the spec alone, so the writer is
 * not only checked against its own reader.
 */
function minimalParse(bytes: Uint8Array) {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const headerText = new TextDecoder().decode(bytes.subarray(8, 8 + n));
  const header = JSON.parse(headerText) as Record<
    string,
    { dtype: string; shape: number[]; data_offsets: [number, number] }
  >;
  const tensors: Record<string, { dtype: string; shape: number[]; values: number[] }> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const [b, e] = entry.data_offsets;
    const view = new DataView(bytes.buffer, bytes.byteOffset + 8 + n + b, e - b);
    const values: number[] = [];
    for (let i = 0; i < (e - b) / 4; i++) values.push(view.getFloat32(4 * i, true));
    tensors[name] = { dtype: entry.dtype, shape: entry.shape, values };
  }
  return { n, headerText, keys: Object.keys(header), metadata: header.__metadata__ as unknown, tensors };
}

describe('writeSafetensors / readSafetensors', () => {
  const weird = new Float32Array([0, -0, 1.5, -3.25e-41, Infinity, -Infinity, 3.4e38, 1e-45]);
  const nanBits = new Uint32Array([0x7fc00001, 0xffa00000]); // NaN payloads must survive
  const tensors: TensorMap = new Map([
    ['b.second', { shape: [2, 4], data: weird }],
    ['a.first', { shape: [2], data: new Float32Array(nanBits.buffer) }],
    ['empty', { shape: [0, 3], data: new Float32Array(0) }],
    ['scalar', { shape: [], data: new Float32Array([7]) }],
  ]);

  it('round-trips bit-exactly, keeping key order and metadata', () => {
    const bytes = writeSafetensors(tensors, { format: 'pt', note: 'x' });
    const back = readSafetensors(bytes);
    expect([...back.tensors.keys()]).toEqual(['b.second', 'a.first', 'empty', 'scalar']);
    expect(back.metadata).toEqual({ format: 'pt', note: 'x' });
    for (const [name, t] of tensors) {
      const got = back.tensors.get(name)!;
      expect(got.shape).toEqual(t.shape);
      expect(got.dtype).toBe('F32');
      expect(new Uint32Array(got.data.buffer)).toEqual(
        new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length),
      );
    }
  });

  it('writes a layout an independent parser reads: metadata first, padded header, F32 LE', () => {
    const bytes = writeSafetensors(tensors);
    const parsed = minimalParse(bytes);
    expect(parsed.n % 8).toBe(0);
    expect(parsed.headerText.startsWith('{"__metadata__":{"format":"pt"}')).toBe(true);
    expect(parsed.headerText.trimEnd().endsWith('}')).toBe(true);
    expect(parsed.metadata).toEqual({ format: 'pt' });
    expect(parsed.tensors['b.second']).toEqual({ dtype: 'F32', shape: [2, 4], values: [...weird] });
    expect(parsed.tensors['empty'].values).toEqual([]);
    expect(parsed.tensors['scalar']).toEqual({ dtype: 'F32', shape: [], values: [7] });
  });

  it('omits __metadata__ when given an empty object and keeps a "__proto__" tensor', () => {
    const bytes = writeSafetensors(new Map([['__proto__', { shape: [1], data: new Float32Array([2]) }]]), {});
    expect(minimalParse(bytes).keys).toEqual(['__proto__']);
    expect(readSafetensors(bytes).tensors.get('__proto__')?.data[0]).toBe(2);
  });

  it('reads tensors at unaligned offsets, keeps integer-like names in file order, and does not alias the input', () => {
    const data = new Uint8Array(6);
    data.set(f32Bytes([1.25]), 2);
    const bytes = rawFile(
      '{"9":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"1":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}',
      data,
    );
    const { tensors } = readSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['9', '1']);
    const t = tensors.get('1')!;
    expect(t.data[0]).toBe(1.25);
    t.data[0] = 99;
    expect(readSafetensors(bytes).tensors.get('1')!.data[0]).toBe(1.25);
  });

  it('reads a file that is a view at an odd offset into a larger buffer', () => {
    const file = writeSafetensors(new Map([['h', { shape: [3], data: new Float32Array([1, 2, 3]) }]]));
    const big = new Uint8Array(file.length + 3);
    big.set(file, 1);
    expect([...readSafetensors(big.subarray(1, 1 + file.length)).tensors.get('h')!.data]).toEqual([1, 2, 3]);
  });

  it('accepts a header padded with trailing spaces', () => {
    expect(
      readSafetensors(rawFile('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}   ', f32Bytes([3]))).tensors.get(
        'x',
      )!.data[0],
    ).toBe(3);
  });
});

describe('F16 and BF16 are widened to F32', () => {
  it('converts F16 normals, subnormals, zeros, infinities and NaN', () => {
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0400, 0x0001, 0x03ff, 0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x3555];
    const expected = [
      1,
      -2,
      65504,
      2 ** -14,
      2 ** -24,
      1023 * 2 ** -24,
      0,
      -0,
      Infinity,
      -Infinity,
      NaN,
      0.333251953125,
    ];
    const data = new Uint8Array(new Uint16Array(bits).buffer);
    const t = readSafetensors(
      rawFile(`{"h":{"dtype":"F16","shape":[${bits.length}],"data_offsets":[0,${data.length}]}}`, data),
    ).tensors.get('h')!;
    expect(t.dtype).toBe('F16');
    expect([...t.data]).toEqual(expected.map((v) => Math.fround(v)));
    expect(Object.is(t.data[7], -0)).toBe(true);
    expect(f16BitsToNumber(0x0001)).toBe(5.960464477539063e-8);
  });

  it('converts BF16 including subnormals, infinities and NaN', () => {
    const f32 = new Float32Array([1, -2.5, 3.0e38, 1e-39, Infinity, -Infinity, NaN, -0]);
    const top = new Uint16Array([...new Uint32Array(f32.buffer)].map((w) => w >>> 16));
    const data = new Uint8Array(top.buffer);
    const t = readSafetensors(rawFile(`{"b":{"dtype":"BF16","shape":[2,4],"data_offsets":[0,16]}}`, data)).tensors.get(
      'b',
    )!;
    expect(t.dtype).toBe('BF16');
    expect(t.shape).toEqual([2, 4]);
    const truncated = new Float32Array(new Uint32Array([...top].map((h) => (h << 16) >>> 0)).buffer);
    expect([...t.data]).toEqual([...truncated]);
    expect(t.data[3]).toBeGreaterThan(0); // a subnormal stays a subnormal, not zero
    expect(t.data[3]).toBeLessThan(1.2e-38);
    expect(Number.isNaN(t.data[6])).toBe(true);
  });
});

describe('readSafetensors rejects malformed files with a specific message', () => {
  const ok = (extra = '') => `{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}${extra}}`;
  const data8 = f32Bytes([1, 2]);

  it('file too short', () => rejects(new Uint8Array(5), /file is 5 bytes.*8-byte header length/));
  it('header length over 8 MiB (u64 beyond 2^53 too)', () => {
    rejects(rawFile(ok(), data8, 8_388_609n), /header length 8388609 bytes exceeds the 8 MiB limit/);
    rejects(rawFile(ok(), data8, 0xffffffffffffffffn), /exceeds the 8 MiB limit/);
  });
  it('header length past the end of file', () =>
    rejects(rawFile(ok(), data8, 1000n), /header length 1000 bytes runs past the end of the file/));
  it('header not UTF-8', () =>
    rejects(
      rawFile('{"\xff"}').map((b, i) => (i === 10 ? 0xff : b)),
      /not valid UTF-8/,
    ));
  it('header not starting with {', () => rejects(rawFile(' ' + ok(), data8), /must start with "\{"/));
  it('header not JSON', () => rejects(rawFile('{"w": [1,', data8), /not valid JSON/));
  it('empty header', () => rejects(rawFile('', data8), /must start with "\{", found ""/));
  it('entry not an object', () => rejects(rawFile('{"w":[1,2]}', data8), /tensor "w": header entry is \[1, 2\]/));
  it('unknown dtype', () => rejects(rawFile(ok().replace('F32', 'Q4_K'), data8), /tensor "w": unknown dtype "Q4_K"/));
  it('known but unsupported dtype', () => {
    rejects(rawFile(ok().replace('F32', 'I64'), data8), /tensor "w": unsupported dtype I64/);
    rejects(rawFile(ok().replace('F32', 'F64'), data8), /tensor "w": unsupported dtype F64/);
  });
  it('bad shape', () => {
    rejects(
      rawFile(ok().replace('[2]', '[-2]'), data8),
      /tensor "w": "shape" must be an array of non-negative integers, got \[-2\]/,
    );
    rejects(rawFile(ok().replace('[2]', '[1.5]'), data8), /"shape" must be an array/);
    rejects(rawFile(ok().replace('[2]', '"2"'), data8), /"shape" must be an array/);
  });
  it('shape × dtype size ≠ byte span', () =>
    rejects(
      rawFile(ok().replace('[2]', '[3]'), data8),
      /tensor "w": shape \[3\] × 4 bytes \(F32\) = 12 bytes, but data_offsets span 8 bytes/,
    ));
  it('huge shape product does not overflow silently', () =>
    rejects(
      rawFile(ok().replace('[2]', '[9007199254740991,9007199254740991]'), data8),
      /but data_offsets span 8 bytes/,
    ));
  it('offsets not integers', () =>
    rejects(
      rawFile(ok().replace('[0,8]', '[0,8.5]'), data8),
      /tensor "w": "data_offsets" must be two non-negative integers/,
    ));
  it('offsets out of range', () =>
    rejects(
      rawFile(ok().replace('[0,8]', '[0,16]').replace('[2]', '[4]'), data8),
      /tensor "w": data_offsets \[0, 16\] run past the end of the data \(8 bytes\)/,
    ));
  it('end before begin', () =>
    rejects(rawFile(ok().replace('[0,8]', '[8,0]'), data8), /data_offsets end 0 is before begin 8/));
  it('overlapping spans', () => {
    const h =
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    rejects(rawFile(h, data8), /tensor "b" overlaps tensor "a"/);
  });
  it('gaps between spans', () => {
    const h = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    rejects(rawFile(h, data8), /gap of 4 bytes before tensor "a"/);
  });
  it('trailing bytes after the last tensor', () =>
    rejects(rawFile(ok(), f32Bytes([1, 2, 3])), /4 bytes of data after the last tensor/));
  it('duplicate tensor names', () =>
    rejects(
      rawFile(`{"w":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},${ok().slice(1)}`, data8),
      /duplicate tensor name "w"/,
    ));
  it('duplicate keys inside an entry', () =>
    rejects(
      rawFile('{"w":{"dtype":"F16","dtype":"F32","shape":[2],"data_offsets":[0,8]}}', data8),
      /tensor "w": duplicate key "dtype"/,
    ));
  it('__metadata__ not string → string', () => {
    rejects(
      rawFile(ok(',"__metadata__":{"format":1}'), data8),
      /"__metadata__" value for "format" must be a string, got 1/,
    );
    rejects(rawFile(ok(',"__metadata__":["pt"]'), data8), /"__metadata__" must be an object of strings/);
  });
  it('deeply nested JSON gets a message before parsing, not a stack overflow', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    rejects(rawFile(`{"w":${deep}}`), /header nests JSON more than 8 levels deep/);
    rejects(rawFile(`{"w":{"dtype":"F32","shape":[[[[[[[[1]]]]]]]],"data_offsets":[0,0]}}`), /more than 8 levels/);
    rejects(rawFile(`{"w":"[[[[[[[[[[[[[[[[[["}`), /header entry is "\[\[\[/); // brackets inside a string do not count
  });
  it('keeps messages short for huge names', () => {
    const name = 'n'.repeat(100_000);
    let message = '';
    try {
      readSafetensors(rawFile(`{"${name}":{"dtype":"X","shape":[],"data_offsets":[0,0]}}`));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/unknown dtype "X"/);
    expect(message.length).toBeLessThan(200);
  });
});

describe('reading from a Node Buffer', () => {
  it('gives each tensor its own values, not a view of the whole file', () => {
    const bytes = writeSafetensors(
      new Map([
        ['a', { shape: [2], data: Float32Array.of(1, 2) }],
        ['b', { shape: [3], data: Float32Array.of(3, 4, 5) }],
      ]),
    );
    const { tensors } = readSafetensors(Buffer.from(bytes));
    expect([...tensors.get('a')!.data]).toEqual([1, 2]);
    expect([...tensors.get('b')!.data]).toEqual([3, 4, 5]);
  });
});
