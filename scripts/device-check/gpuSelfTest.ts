/**
 * On the GPU machine, through the bundle: the engine self-test on webgpu (logits and LoRA
 * gradients against the float64 reference), and the prepared log-probabilities recomputed on
 * webgpu from the bundle's own files (base, base + adapter via PEFT import, merged) vs the cpu
 * numbers prepare wrote (max abs diff < 1e-4).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/engine/backend';
import { runEngineSelfTest } from '../../src/engine/bench/selfTest';
import { importAdapter } from '../../src/engine/peft';
import { readSafetensors } from '../../src/engine/safetensors';
import { backendLine } from '../../src/cli/backendFlag';
import { FAMILIES } from './families';
import { logProbs, maxAbsDiff } from './logprobs';
import type { FamilyManifest } from './writeFamilies';

export const TOLERANCE = 1e-4;

export async function gpuSelfTest(): Promise<number> {
  const info = await selectBackend({ force: 'webgpu' });
  console.log(backendLine(info, 'webgpu'));
  const r = await runEngineSelfTest();
  console.log(
    `self-test on ${r.backend}: max |logit − ref| ${r.maxLogitErr.toExponential(2)}, max grad error ${r.maxGradErr.toExponential(2)}, |loss − ref| ${r.lossErr.toExponential(2)}: ${r.ok ? 'ok' : 'FAILED'}`,
  );
  return r.ok && r.backend === 'webgpu' ? 0 : 1;
}

const files = (dir: string) => new Map(readdirSync(dir).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]));

export async function gpuLogProbs(bundle: string): Promise<number> {
  const info = await selectBackend({ force: 'webgpu' });
  console.log(backendLine(info, 'webgpu'));
  const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')) as { families: FamilyManifest[] };
  const rows: { family: string; variant: string; maxAbsDiff: number; ok: boolean }[] = [];
  for (const fm of manifest.families) {
    const family = FAMILIES.find((f) => f.id === fm.id);
    if (!family) throw new Error(`no family "${fm.id}" in this build`);
    const dir = join(bundle, 'families', fm.id);
    const expected = readSafetensors(new Uint8Array(readFileSync(join(dir, fm.expected)))).tensors;
    const open = (sub: string) =>
      family.openHf(
        readFileSync(join(dir, sub, 'config.json'), 'utf8'),
        new Uint8Array(readFileSync(join(dir, sub, 'model.safetensors'))),
      );
    const ids = Int32Array.from(fm.ids.flat());
    const check = async (variant: string, lp: Awaited<ReturnType<typeof logProbs>>) => {
      const d = maxAbsDiff(lp.next.data, expected.get(`${variant}.next`)!.data);
      const full = expected.get(`${variant}.full`);
      const dFull = full && lp.full ? maxAbsDiff(lp.full.data, full.data) : 0;
      const m = Math.max(d, dFull);
      rows.push({ family: fm.id, variant, maxAbsDiff: m, ok: m < TOLERANCE });
    };
    const base = open(fm.base);
    await check('base', await logProbs(base, ids, fm.batch, fm.seq, false));
    for (const a of fm.adapters) {
      const modules = new Map(base.adapters.modules.map((m) => [m.name, { dIn: m.dIn, dOut: m.dOut }]));
      const imported = importAdapter(files(join(dir, a.dir)), { modules, modelType: family.modelType });
      base.adapters.import(a.name, imported.adapter);
      await check(`adapter.${a.name}`, await logProbs(base, ids, fm.batch, fm.seq, true));
      base.adapters.disable();
      const merged = open(a.merged);
      await check(`merged.${a.name}`, await logProbs(merged, ids, fm.batch, fm.seq, false));
      merged.dispose();
    }
    base.dispose();
  }
  console.log(`\nengine on ${info.name} vs prepared cpu numbers (max |Δ log p|, tolerance ${TOLERANCE}):`);
  for (const r of rows)
    console.log(`  ${r.family} ${r.variant}: ${r.maxAbsDiff.toExponential(2)} ${r.ok ? 'ok' : 'FAIL'}`);
  const out = process.env.OUT;
  if (out) writeFileSync(join(out, 'engine-webgpu-logprobs.json'), JSON.stringify({ backend: info, rows }, null, 2));
  return rows.every((r) => r.ok) ? 0 : 1;
}
