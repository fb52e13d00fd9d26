import { describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from '../safetensors';
import type { HostTensor, TensorMap } from '../types';
import { joinShards } from './joinShards';

const t = (shape: number[], start: number): HostTensor => ({
  shape,
  data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => start + i * 0.5),
});

const blob = (bytes: Uint8Array) => new Blob([bytes as BlobPart]);
const bytesOf = async (b: Blob) => new Uint8Array(await b.arrayBuffer());

const first: TensorMap = new Map([
  ['wte.weight', t([4, 3], 1)],
  ['h.0.attn.c_attn.bias', t([9], -2)],
]);
const second: TensorMap = new Map([
  ['h.0.ln_1.weight', t([3], 7)],
  ['ln_f.bias', t([3], 0.25)],
  ['empty', t([0, 3], 0)],
]);
const S1 = 'model-00001-of-00002.safetensors';
const S2 = 'model-00002-of-00002.safetensors';
const index = (map: Record<string, string>) => JSON.stringify({ metadata: { total_size: 1 }, weight_map: map });
const goodMap = {
  'wte.weight': S1,
  'h.0.attn.c_attn.bias': S1,
  'h.0.ln_1.weight': S2,
  'ln_f.bias': S2,
  empty: S2,
};
const shards = () =>
  new Map([
    [S1, blob(writeSafetensors(first, { format: 'pt' }))],
    [S2, blob(writeSafetensors(second, { format: 'pt' }))],
  ]);

describe('joinShards', () => {
  it('one file is handed back as it is (no new Blob)', async () => {
    const b = blob(writeSafetensors(first));
    expect(await joinShards(new Map([['model.safetensors', b]]))).toBe(b);
  });

  it('joins two shards into one valid safetensors file holding every tensor bit for bit', async () => {
    const joined = await joinShards(shards(), index(goodMap));
    const file = readSafetensors(await bytesOf(joined)); // full validation: contiguous, offsets, shapes
    expect([...file.tensors.keys()].sort()).toEqual(Object.keys(goodMap).sort());
    for (const [name, want] of [...first, ...second]) {
      const got = file.tensors.get(name)!;
      expect(got.shape).toEqual(want.shape);
      expect(Array.from(got.data)).toEqual(Array.from(want.data));
    }
    expect(file.metadata).toEqual({ format: 'pt' });
    // The header is padded to 8 bytes so the tensor data stays aligned.
    const n = Number(new DataView(await joined.slice(0, 8).arrayBuffer()).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    // Nothing but the new header is new: the size is the header plus both shards' data sections.
    const dataOf = async (b: Blob) =>
      b.size - 8 - Number(new DataView(await b.slice(0, 8).arrayBuffer()).getBigUint64(0, true));
    const [a, b] = [...shards().values()];
    expect(joined.size).toBe(8 + n + (await dataOf(a)) + (await dataOf(b)));
  });

  it('refuses shards without an index, a tensor in two shards, and an index that disagrees', async () => {
    await expect(joinShards(shards())).rejects.toThrow('no model.safetensors.index.json');
    const twice = new Map([
      [S1, blob(writeSafetensors(first))],
      [S2, blob(writeSafetensors(first))],
    ]);
    await expect(joinShards(twice, index(goodMap))).rejects.toThrow(`"wte.weight" is in both ${S1} and ${S2}`);
    await expect(joinShards(shards(), index({ ...goodMap, 'ln_f.bias': S1 }))).rejects.toThrow(
      `${S2} holds "ln_f.bias", but model.safetensors.index.json puts it in ${S1}`,
    );
    await expect(joinShards(shards(), index({ ...goodMap, 'lm_head.weight': S2 }))).rejects.toThrow(
      'puts "lm_head.weight" in model-00002-of-00002.safetensors, which does not hold it',
    );
    await expect(joinShards(shards(), '{')).rejects.toThrow('index.json is not valid JSON');
    await expect(joinShards(new Map())).rejects.toThrow('no safetensors file');
  });

  it('refuses a damaged shard header before reading any tensor data', async () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    await expect(
      joinShards(
        new Map([
          [S1, blob(huge)],
          [S2, blob(huge)],
        ]),
        index(goodMap),
      ),
    ).rejects.toThrow(`${S1}: header length 1099511627776 bytes exceeds the 8 MiB limit`);
    const tiny = new Map([
      [S1, new Blob(['abc'])],
      [S2, new Blob(['abc'])],
    ]);
    await expect(joinShards(tiny, index(goodMap))).rejects.toThrow('too short for a safetensors file');
    const past = new Uint8Array(16);
    new DataView(past.buffer).setBigUint64(0, 100n, true);
    await expect(
      joinShards(
        new Map([
          [S1, blob(past)],
          [S2, blob(past)],
        ]),
        index(goodMap),
      ),
    ).rejects.toThrow('runs past the end of the file');
    const json = new TextEncoder().encode(JSON.stringify({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 99] } }));
    const bad = new Uint8Array(8 + json.byteLength + 4);
    new DataView(bad.buffer).setBigUint64(0, BigInt(json.byteLength), true);
    bad.set(json, 8);
    await expect(
      joinShards(
        new Map([
          [S1, blob(bad)],
          [S2, blob(bad)],
        ]),
        index(goodMap),
      ),
    ).rejects.toThrow('has data_offsets outside the file');
  });
});
