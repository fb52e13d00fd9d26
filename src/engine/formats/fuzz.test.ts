/**
 * Seeded corruption of valid files of every format: whatever the damage, reading (and inspecting)
 * either succeeds or fails with a UserFacingError, never another error, and quickly.
 */
import { describe, expect, it } from 'vitest';
import { bytesSource } from '../checkpoint/byteSource';
import { inspectAdapter, inspectOpened, type InspectReport } from '../inspect/inspect';
import { Rng } from '../rng';
import { UserFacingError } from '../types';
import { hfToGgufName } from './names';
import { openAdapter, readAdapter, type AdapterFileInput } from './read';
import { ggufFile, kohyaFile, llamaModules, lowRankModule, mlxFiles, peftFiles } from '../testing/adapterFiles';

const mods = llamaModules(1, 32, 16, 64, 4);
const VALID: Record<string, Map<string, Uint8Array>> = {
  peft: peftFiles(mods, { r: 4 }),
  mlx: mlxFiles(mods, 20),
  gguf: new Map([
    [
      'a.gguf',
      ggufFile(
        mods.map((m) => ({ ...m, name: hfToGgufName(m.name)! })),
        { architecture: 'llama', alpha: 8, dtype: 'Q8_0', dtypeB: 'F16' },
      ),
    ],
  ]),
  kohya: new Map([['k.safetensors', kohyaFile([{ ...lowRankModule('lora_unet_a_0_to_q', 8, 8, 2, 2, 1), alpha: 1 }])]]),
};

/** One random damage: flip bytes, overwrite a run with 0xff or 0x00, truncate, or duplicate a span. */
function damage(rng: Rng, bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const at = Math.floor(rng.uniform(0, bytes.length));
  switch (Math.floor(rng.uniform(0, 4))) {
    case 0:
      for (let k = 0; k < 4; k++) out[Math.floor(rng.uniform(0, out.length))] ^= 1 << Math.floor(rng.uniform(0, 8));
      return out;
    case 1:
      out.fill(rng.uniform(0, 1) < 0.5 ? 0xff : 0, at, Math.min(out.length, at + 8));
      return out;
    case 2:
      return out.slice(0, at);
    default: {
      const len = Math.floor(rng.uniform(1, 64));
      const grown = new Uint8Array(out.length + len);
      grown.set(out.subarray(0, at));
      grown.set(out.subarray(at, at + len), at);
      grown.set(out.subarray(at), at + len);
      return grown;
    }
  }
}

describe('readAdapter on damaged files', () => {
  for (const [format, files] of Object.entries(VALID)) {
    it(`${format}: 120 damaged variants read or fail with a UserFacingError`, async () => {
      const rng = new Rng(format.length * 7919);
      let failed = 0;
      for (let i = 0; i < 120; i++) {
        const broken = new Map(files);
        const names = [...files.keys()];
        const name = names[Math.floor(rng.uniform(0, names.length))];
        broken.set(name, damage(rng, files.get(name)!));
        const t0 = performance.now();
        try {
          inspectAdapter(await readAdapter(broken));
        } catch (e) {
          failed++;
          if (!(e instanceof UserFacingError)) throw new Error(`case ${i} (${name}): ${String(e)}`);
          expect((e as Error).message.length).toBeGreaterThan(10);
        }
        expect(performance.now() - t0, `case ${i}`).toBeLessThan(5_000);
      }
      expect(failed).toBeGreaterThan(10);
    });
  }
});

/** The report, or the UserFacingError's message. */
async function outcome(run: () => Promise<InspectReport>): Promise<{ ok: InspectReport } | { error: string }> {
  try {
    return { ok: await run() };
  } catch (e) {
    if (!(e instanceof UserFacingError)) throw e;
    return { error: e.message };
  }
}

describe('opened from ByteSources (header first, one module at a time) on damaged files', () => {
  for (const [format, files] of Object.entries(VALID)) {
    it(`${format}: 60 damaged variants end as the in-memory read does (same report or same message)`, async () => {
      const rng = new Rng(format.length * 104729);
      for (let i = 0; i < 60; i++) {
        const broken = new Map(files);
        const names = [...files.keys()];
        const name = names[Math.floor(rng.uniform(0, names.length))];
        broken.set(name, damage(rng, files.get(name)!));
        const sources = new Map<string, AdapterFileInput>([...broken].map(([p, b]) => [p, bytesSource(b, p)]));
        const eager = await outcome(async () => inspectAdapter(await readAdapter(broken)));
        const lazy = await outcome(async () => inspectOpened(await openAdapter(sources)));
        if ('ok' in eager && 'ok' in lazy) expect(lazy.ok.modules, `case ${i}`).toEqual(eager.ok.modules);
        else expect(lazy, `case ${i} (${name})`).toEqual(eager);
      }
    });
  }
});
