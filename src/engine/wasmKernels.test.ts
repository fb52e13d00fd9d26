import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend';
import { tf } from './tf';

/** The slice of a row-major array, computed independently of tfjs. */
function sliceRef(data: number[], shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const walk = (d: number, at: number) => {
    if (d === shape.length) return void out.push(data[at]);
    for (let i = 0; i < size[d]; i++) walk(d + 1, at + (begin[d] + i) * strides[d]);
  };
  walk(0, 0);
  return out;
}

describe('wasm kernels', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('Identity shares the buffer: a clone adds no heap, values stay independent of disposal', async () => {
    const a = tf.tensor1d([1, 2, 3]);
    const b = tf.clone(a);
    a.dispose();
    expect(Array.from(await b.data())).toEqual([1, 2, 3]);
    b.dispose();
  });

  it.each([
    [[7], [2], [4]],
    [
      [5, 6],
      [1, 2],
      [3, 3],
    ],
    [
      [5, 6],
      [2, 0],
      [3, 6],
    ],
    [
      [3, 4, 5],
      [1, 1, 2],
      [2, 2, 3],
    ],
    [
      [2, 3, 4, 5],
      [1, 0, 1, 1],
      [1, 3, 2, 4],
    ],
    [
      [2, 2, 3, 2, 3],
      [0, 1, 1, 0, 1],
      [2, 1, 2, 2, 2],
    ],
    [
      [4, 3],
      [1, 0],
      [0, 3],
    ],
  ])('Slice of %j at %j size %j equals the reference (float32, int32, bool)', async (shape, begin, size) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = Array.from({ length: n }, (_, i) => i * 1.5 - 7);
    const expected = sliceRef(data, shape, begin, size);
    const f = tf.slice(tf.tensor(data, shape), begin, size);
    expect(f.shape).toEqual(size);
    expect(Array.from(await f.data())).toEqual(expected);
    const ints = tf.slice(tf.tensor(data.map(Math.round), shape, 'int32'), begin, size);
    expect(Array.from(await ints.data())).toEqual(expected.map(Math.round));
    const bools = tf.slice(
      tf.tensor(
        data.map((v) => v > 0),
        shape,
        'bool',
      ),
      begin,
      size,
    );
    expect(Array.from(await bools.data())).toEqual(expected.map((v) => (v > 0 ? 1 : 0)));
    tf.dispose([f, ints, bools]);
  });
});
