/**
 * Tiny random GPT-2 checkpoints for e2e tests, generated at test time by scripts/make-tiny-gpt2.ts
 * into a temp folder (never committed), and a stand-in for the shipped model while
 * public/models/tiny/ is not built yet.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';

export interface TinyOptions {
  layers?: number;
  embd?: number;
  heads?: number;
  positions?: number;
  seed?: number;
}

const made = new Map<string, string>();

/** Folder with config.json, model.safetensors, tokenizer.json, tokenizer_config.json (cached per options). */
export function tinyCheckpoint(opts: TinyOptions = {}): string {
  const key = JSON.stringify(opts);
  const hit = made.get(key);
  if (hit) return hit;
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-tiny-'));
  const args = Object.entries(opts).flatMap(([k, v]) => [`--${k}`, String(v)]);
  execFileSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/make-tiny-gpt2.ts', dir, ...args], {
    stdio: 'pipe',
  });
  made.set(key, dir);
  return dir;
}

/** True when the real shipped model has been built into public/models/tiny (and so into the dist folder). */
export function shippedModelExists(): boolean {
  const dist = process.env.PW_DIST ?? 'dist';
  return existsSync(join(dist, 'models/tiny/model.safetensors'));
}

/**
 * Until the pretrained model ships, serve a generated tiny checkpoint at ./models/tiny/ so that the
 * Train page has a base to fine-tune. With the real model present this does nothing.
 */
export async function standInForShippedModel(page: Page): Promise<'shipped' | 'stand-in'> {
  if (shippedModelExists()) return 'shipped';
  const dir = tinyCheckpoint({ layers: 2, embd: 64, heads: 4, positions: 32 });
  await page.route('**/models/tiny/*', async (route) => {
    const file = new URL(route.request().url()).pathname.split('/').pop()!;
    const path = join(dir, file);
    if (!existsSync(path)) return route.fulfill({ status: 404, body: 'not found' });
    await route.fulfill({
      status: 200,
      body: readFileSync(path),
      contentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    });
  });
  return 'stand-in';
}
