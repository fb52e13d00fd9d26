/**
 * The one JS file the GPU machine runs (bundled by bundle.ts; Node and dawn.node come along):
 *   node device.mjs gpu-bench [--steps 20] [--batch 8] [--seq 128] [--json out.json]
 *   node device.mjs selftest                 engine logits and LoRA gradients vs float64, on webgpu
 *   node device.mjs logprobs <bundle dir>    the prepared log-probabilities recomputed on webgpu
 *   node device.mjs cli <command> [flags]    the CLI (npm run cli -- …)
 */
const [mode, ...rest] = process.argv.slice(2);

async function run(): Promise<number> {
  if (mode === 'cli') {
    process.argv = [process.argv[0], process.argv[1], ...rest];
    await import('../../src/cli/main'); // exits by itself
    return new Promise<number>(() => {});
  }
  if (mode === 'gpu-bench') return (await import('./gpuBench')).gpuBench(rest);
  if (mode === 'selftest') return (await import('./gpuSelfTest')).gpuSelfTest();
  if (mode === 'logprobs') return (await import('./gpuSelfTest')).gpuLogProbs(rest[0] ?? '.');
  console.error('usage: node device.mjs gpu-bench|selftest|logprobs <bundle>|cli …');
  return 2;
}

run().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
