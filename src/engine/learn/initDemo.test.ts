import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { InitDemo, scalingFor } from './initDemo';
import { runScalingSweep } from './scalingSweep';

beforeAll(async () => {
  await selectBackend({ force: 'wasm' });
});

const opts = { dIn: 8, dOut: 8, r: 4, alpha: 8, lr: 0.05 } as const;

describe('InitDemo (real tfjs gradients)', () => {
  it('PEFT init: ΔW = 0 and output unchanged at step 0; first ∇A exactly 0; only B moves', async () => {
    const d = new InitDemo({ ...opts, init: 'peft' });
    try {
      const s0 = await d.snapshot();
      expect(s0.deltaWNorm).toBe(0);
      expect(s0.outputChange).toBe(0);
      const rec = (await d.step())!;
      expect(rec.gradNormA).toBe(0);
      expect(rec.gradNormB).toBeGreaterThan(0);
      const s1 = await d.snapshot();
      expect(Array.from(s1.A.data)).toEqual(Array.from(s0.A.data)); // A did not move
      expect(Array.from(s1.B.data).some((v) => v !== 0)).toBe(true); // B did
      const rec2 = (await d.step())!;
      expect(rec2.gradNormA).toBeGreaterThan(0); // now B ≠ 0, so A gets a gradient
    } finally {
      d.dispose();
    }
  });

  it('gaussian init behaves the same way at step 1', async () => {
    const d = new InitDemo({ ...opts, init: 'gaussian' });
    try {
      expect((await d.snapshot()).deltaWNorm).toBe(0);
      expect((await d.step())!.gradNormA).toBe(0);
    } finally {
      d.dispose();
    }
  });

  it('both zero: gradients stay exactly 0 and nothing ever trains', async () => {
    const d = new InitDemo({ ...opts, init: 'zeros' });
    try {
      const loss0 = (await d.snapshot()).loss;
      for (let i = 0; i < 20; i++) {
        const rec = (await d.step())!;
        expect(rec.gradNormA).toBe(0);
        expect(rec.gradNormB).toBe(0);
      }
      const s = await d.snapshot();
      expect(s.deltaWNorm).toBe(0);
      expect(s.loss).toBe(loss0);
    } finally {
      d.dispose();
    }
  });

  it('both random: ΔW ≠ 0 at step 0, so the adapted layer no longer equals the base', async () => {
    const d = new InitDemo({ ...opts, init: 'random' });
    try {
      const s0 = await d.snapshot();
      expect(s0.deltaWNorm).toBeGreaterThan(0.1);
      expect(s0.outputChange).toBeGreaterThan(0.1);
      expect((await d.step())!.gradNormA).toBeGreaterThan(0);
    } finally {
      d.dispose();
    }
  });

  it('PEFT init learns the task (loss falls) and the tensor count stays flat across steps', async () => {
    const before = tf.memory().numTensors;
    const d = new InitDemo({ ...opts, init: 'peft' });
    const owned = tf.memory().numTensors - before;
    expect(owned).toBe(7); // X, Y, X·W0ᵀ, A, B, and Adam's β1ᵗ, β2ᵗ
    const loss0 = (await d.snapshot()).loss;
    await d.step();
    const afterFirst = tf.memory().numTensors; // Adam's m and v for A and B now exist
    for (let i = 0; i < 60; i++) await d.step(i % 2 === 0);
    await d.snapshot();
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect((await d.snapshot()).loss).toBeLessThan(loss0 / 10);
    d.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('same seeds, same numbers (a URL reproduces the view)', async () => {
    const run = async () => {
      const d = new InitDemo({ ...opts, init: 'peft' });
      for (let i = 0; i < 3; i++) await d.step();
      const s = await d.snapshot();
      d.dispose();
      return Array.from(s.deltaW.data);
    };
    expect(await run()).toEqual(await run());
  });
});

describe('scaling rules', () => {
  it('s = α/r, α/√r, α', () => {
    expect(scalingFor('alpha/r', 16, 4)).toBe(4);
    expect(scalingFor('alpha/sqrt(r)', 16, 4)).toBe(8);
    expect(scalingFor('alpha', 16, 4)).toBe(16);
  });

  it('without 1/r, ‖ΔW‖ after the first steps grows with r; α/r does not let it grow', async () => {
    const before = tf.memory().numTensors;
    const pts = await runScalingSweep({ d: 64, alpha: 8, lr: 0.001, steps: 3, ranks: [1, 4, 16] });
    expect(tf.memory().numTensors).toBe(before);
    const norms = (rule: string) => pts.filter((p) => p.rule === rule).map((p) => p.deltaWNorm);
    const [a1, , a16] = norms('alpha');
    const [d1, , d16] = norms('alpha/r');
    const [q1, , q16] = norms('alpha/sqrt(r)');
    expect(a16 / a1).toBeGreaterThan(2.5); // grows with r
    expect(d16 / d1).toBeLessThan(1); // bounded (it shrinks a little)
    expect(Math.abs(Math.log(q16 / q1))).toBeLessThan(Math.log(1.5)); // rsLoRA: flattest
  });
});
