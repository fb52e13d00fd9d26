/**
 * Test material for the Adapters page's e2e specs (Node side, never bundled into the app): a small
 * random GPT-2 in Hugging Face form standing in for the shipped model, and PEFT adapters for it
 * (or for another model) made by the engine's own writer.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { gpt2ConfigJson, tinyGpt2Config, type Gpt2Config } from '../../src/engine/gpt2/config';
import { initGpt2Weights } from '../../src/engine/gpt2/params';
import type { LoraConfig } from '../../src/engine/lora/types';
import { exportAdapter } from '../../src/engine/peft/exportAdapter';
import { randomAdapter, tinyGpt2Base } from '../../src/engine/testing/testAdapter';
import { writeSafetensors } from '../../src/engine/safetensors';
import { zipFiles } from '../../src/engine/zip';

/** vocab 97 = the shipped character tokenizer (public/data/tokenizer.json). */
export const TEST_CONFIG: Gpt2Config = tinyGpt2Config({
  vocab_size: 97,
  n_positions: 32,
  n_embd: 32,
  n_layer: 2,
  n_head: 2,
});

/** config.json, model.safetensors and tokenizer.json of a random tiny GPT-2. */
export function testModelFiles(seed = 3): Record<string, Buffer> {
  const weights = initGpt2Weights(TEST_CONFIG, seed);
  // Larger embeddings than GPT-2's init, so the tied head gives peaked (not uniform) next-token odds.
  weights.get('transformer.wte.weight')!.data.forEach((v, i, a) => (a[i] = v * 10));
  return {
    'config.json': Buffer.from(JSON.stringify(gpt2ConfigJson(TEST_CONFIG), null, 2)),
    'model.safetensors': Buffer.from(writeSafetensors(weights, { format: 'pt' })),
    'tokenizer.json': readFileSync(new URL('../../public/data/tokenizer.json', import.meta.url)),
  };
}

/** PEFT files of a random adapter for the test model (or a model of width `nEmbd`). */
export function adapterFiles(
  seed: number,
  lora: Partial<LoraConfig> = {},
  nEmbd = TEST_CONFIG.n_embd,
): Record<string, Buffer> {
  const base = tinyGpt2Base(TEST_CONFIG.n_layer, nEmbd);
  const files = exportAdapter(randomAdapter(base, { r: 4, lora_alpha: 8, target_modules: ['c_attn'], ...lora }, seed), {
    baseModelName: 'lowrank-tiny',
    taskType: 'CAUSAL_LM',
  });
  return Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.from(v)]));
}

/** The same files in a zip, as the Export panel writes them (one folder). */
export function adapterZip(
  seed: number,
  lora: Partial<LoraConfig> = {},
  nEmbd = TEST_CONFIG.n_embd,
  folder = 'adapter',
): Buffer {
  const files = adapterFiles(seed, lora, nEmbd);
  return Buffer.from(
    zipFiles(Object.fromEntries(Object.entries(files).map(([k, v]) => [`${folder}/${k}`, new Uint8Array(v)]))),
  );
}

/** Serve the test model where the app fetches the shipped one (./models/tiny/…). */
export async function routeTestModel(page: Page, seed = 3): Promise<void> {
  const files = testModelFiles(seed);
  await page.route('**/models/tiny/*', async (route, request) => {
    const name = new URL(request.url()).pathname.split('/').pop() ?? '';
    const body = files[name];
    await route.fulfill(
      body
        ? { status: 200, body, contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream' }
        : { status: 404, body: Buffer.from(''), contentType: 'text/plain' },
    );
  });
}
