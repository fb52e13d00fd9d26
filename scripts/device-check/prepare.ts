/**
 * `npm run device-check:prepare [-- --out device-check-bundle] [--skip-node]`: writes the bundle
 * that scripts/device-check/run.sh takes to a GPU machine (≤ 64 MiB): per family the checkpoints
 * and the engine's log-probabilities (computed here on cpu), and the Node half (bundle.ts).
 */
import { execSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selectBackend } from '../../src/engine/backend';
import { buildNodeBundle } from './bundle';
import { FAMILIES } from './families';
import { TOLERANCE } from './gpuSelfTest';
import { writeFamily, type FamilyManifest } from './writeFamilies';

/** What one run may bring to the GPU machine. */
export const BUNDLE_LIMIT = 64 * 2 ** 20;

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : 'device-check-bundle';
const log = (s: string) => process.stderr.write(`${s}\n`);

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, f) => n + sizeOf(join(path, f)), 0);
}

const mib = (b: number) => `${(b / 2 ** 20).toFixed(2)} MiB`;

async function main(): Promise<number> {
  const t0 = performance.now();
  mkdirSync(out, { recursive: true });
  rmSync(join(out, 'families'), { recursive: true, force: true });
  // The reference numbers: float32 on cpu (check.py compares transformers in float32 with them).
  await selectBackend({ force: 'cpu' });
  const families: FamilyManifest[] = [];
  for (const f of FAMILIES) {
    log(`family ${f.id}: ${f.description}`);
    families.push(await writeFamily(join(out, 'families'), f, log));
  }
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    // not a git checkout
  }
  const manifest = { created: new Date().toISOString(), commit, backend: 'cpu', tolerance: TOLERANCE, families };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const node = args.includes('--skip-node') ? [] : await buildNodeBundle(out, log);
  for (const f of node) log(`  ${f.name}: ${mib(f.bytes)}${f.raw ? ` (from ${mib(f.raw)})` : ''}`);
  const total = sizeOf(out);
  log(`families: ${mib(sizeOf(join(out, 'families')))}; bundle ${out}: ${mib(total)} of ${mib(BUNDLE_LIMIT)} allowed`);
  log(
    `prepared in ${((performance.now() - t0) / 1000).toFixed(0)} s; run it with: bash scripts/device-check/run.sh ${out}`,
  );
  if (total > BUNDLE_LIMIT) {
    log(`error: the bundle is ${mib(total)}, over the ${mib(BUNDLE_LIMIT)} a run may bring`);
    return 1;
  }
  return 0;
}

main().then((code) => process.exit(code));
