/** Tiny random Llama-family checkpoints (BF16 shards + index) for e2e tests, made by scripts/make-tiny-llama.ts. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every file of a freshly generated checkpoint folder (config, shards, index, tokenizer files). */
export function tinyLlamaFiles(args: string[] = []): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-llama-'));
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/make-tiny-llama.ts', dir, ...args], {
    stdio: 'pipe',
  });
  return readdirSync(dir).map((f) => join(dir, f));
}
