import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { tf } from '../tf';
import { decodeBaseFiles, type BaseFiles } from './baseFile';
import { FineTuneLab } from './lab';
import { DEFAULT_SETTINGS, loraParamCount, type LabSettings } from './spec';

/** The shipped base (scripts/pretrain-2d.ts), read as the page reads it. */
function shippedBase(): BaseFiles {
  const dir = new URL('../../../public/models/mlp2d/', import.meta.url);
  return decodeBaseFiles(
    readFileSync(new URL('config.json', dir), 'utf8'),
    new Uint8Array(readFileSync(new URL('model.safetensors', dir))),
  );
}

const settings = (patch: Partial<LabSettings> = {}): LabSettings => ({ ...DEFAULT_SETTINGS, ...patch });

describe('2-D lab fine-tuning (wasm)', () => {
  beforeAll(async () => {
    await selectBackend({ force: 'wasm' });
  });

  it('LoRA r = 1 on two moons rotated 60° goes from < 40 % to ≥ 90 % accuracy within 80 steps; base weights untouched', async () => {
    const start = tf.memory().numTensors;
    const base = shippedBase();
    const baseBefore = base.weights;
    const lab = await FineTuneLab.create(base, settings({ thetaDeg: 60, learningRate: 0.01, totalSteps: 80 }), {
      gridRes: 16,
    });
    const s0 = (await lab.snapshot())!;
    expect(s0.runs.map((r) => r.id)).toEqual(['base', 'r1', 'r2', 'r4', 'full']);
    // B = 0: every adapted model, and the full clone, starts exactly at the base's accuracy.
    for (const r of s0.runs) expect(r.accuracy).toBe(s0.runs[0].accuracy);
    expect(s0.runs[0].accuracy).toBeLessThan(0.4);

    const counts: number[] = [];
    for (let i = 0; i < 8; i++) {
      await lab.stepAll(10);
      counts.push((await lab.snapshot())!.numTensors);
    }
    const s = (await lab.snapshot())!;
    const acc = Object.fromEntries(s.runs.map((r) => [r.id, r.accuracy]));
    console.log(`accuracy after ${s.step} steps: ${s.runs.map((r) => `${r.id} ${r.accuracy.toFixed(3)}`).join(', ')}`);
    expect(s.step).toBe(80);
    expect(acc.r1).toBeGreaterThanOrEqual(0.9);
    expect(acc.r1 - s0.runs[0].accuracy).toBeGreaterThan(0.5);
    for (const id of ['r2', 'r4', 'full']) expect(acc[id]).toBeGreaterThan(0.9);
    expect(acc.base).toBe(s0.runs[0].accuracy);
    expect(s.runs[1].losses).toHaveLength(80);
    expect(s.runs[1].losses[79].value).toBeLessThan(s.runs[1].losses[0].value);
    expect(new Set(counts).size).toBe(1); // tensor count flat while training

    // Parameter counts: r·Σ(d_in + d_out) over layers 0–2 = 132·r; full trains all 1,218.
    expect(s.runs.map((r) => r.params.trainable)).toEqual([0, 132, 264, 528, 1218]);
    expect(loraParamCount(1, [0, 1, 2])).toBe(132);
    expect(s.runs[1].params.line).toBe('trainable params: 132 || all params: 1,350 || trainable%: 9.7778');

    // The base and the LoRA runs' frozen copies are bit-identical to the shipped weights; full changed them.
    const same = async (w: Map<string, { data: Float32Array }> | null) =>
      [...baseBefore].every(([k, v]) => w!.get(k)!.data.every((x, i) => x === v.data[i]));
    expect(await same(await lab.weightsOf('base'))).toBe(true);
    for (const id of ['r1', 'r2', 'r4'] as const) expect(await same(await lab.weightsOf(id))).toBe(true);
    expect(await same(await lab.weightsOf('full'))).toBe(false);

    // Play stops at totalSteps.
    expect(await lab.stepAll(5)).toBe(0);
    expect(lab.done).toBe(true);
    lab.setTotalSteps(85); // more steps continue the same runs
    expect(await lab.stepAll(10)).toBe(5);
    expect(() => lab.setTotalSteps(0)).toThrow('steps must be between 1 and 5000, got 0');
    await lab.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('LoRA on layers.1 only trains r·(32 + 32) parameters; dispose during a step frees everything', async () => {
    const start = tf.memory().numTensors;
    const base = shippedBase();
    const lab = await FineTuneLab.create(base, settings({ loraLayers: [1], target: 'xor', thetaDeg: 0 }), {
      gridRes: 8,
    });
    const stepping = lab.stepAll(3);
    await new Promise((resolve) => setTimeout(resolve, 0)); // now in flight, awaiting a read-back
    const queued = lab.stepAll(3);
    const disposed = lab.dispose();
    expect(await stepping).toBe(3); // the call in flight finishes first…
    expect(await queued).toBe(0); // …one queued behind it is skipped
    await disposed;
    expect(await lab.snapshot()).toBeNull();
    expect(await lab.stepAll(1)).toBe(0);
    expect(tf.memory().numTensors).toBe(start);

    const lab2 = await FineTuneLab.create(base, settings({ loraLayers: [1] }), { gridRes: 8 });
    const s = (await lab2.snapshot())!;
    expect(s.runs.slice(1, 4).map((r) => r.params.trainable)).toEqual([64, 128, 256]);
    expect(s.runs[0].probability).toHaveLength(64);
    await lab2.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('rejects settings out of range with a specific message and leaks nothing', async () => {
    const start = tf.memory().numTensors;
    const base = shippedBase();
    await expect(FineTuneLab.create(base, settings({ loraLayers: [] }))).rejects.toThrow(
      'choose at least one layer for LoRA',
    );
    await expect(FineTuneLab.create(base, settings({ loraLayers: [3] }))).rejects.toThrow(
      'layer 3 does not exist; the MLP has layers 0 to 2',
    );
    await expect(FineTuneLab.create(base, settings({ learningRate: 5 }))).rejects.toThrow(
      'the learning rate must be between 0.0005 and 0.1, got 5',
    );
    await expect(FineTuneLab.create(base, settings({ totalSteps: 2.5 }))).rejects.toThrow(
      'steps must be a whole number',
    );
    const broken = { ...base, weights: new Map([...base.weights].filter(([k]) => k !== 'layers.2.bias')) };
    await expect(FineTuneLab.create(broken, settings())).rejects.toThrow('layers.2.bias must have shape [2]');
    expect(tf.memory().numTensors).toBe(start);
  });
});
