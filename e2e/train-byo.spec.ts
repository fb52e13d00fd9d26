import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { standInForShippedModel, tinyCheckpoint } from './helpers/tinyGpt2';
import { tinyLlamaFiles } from './helpers/tinyLlama';

test.use({ serviceWorkers: 'block' });

const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
const baseModel = (page: import('@playwright/test').Page) => page.getByRole('status', { name: 'Base model' });

/** A copy of the tiny checkpoint with one file replaced. */
function broken(edit: (dir: string) => void): string[] {
  const src = tinyCheckpoint({ layers: 1, embd: 16, heads: 2, positions: 16, seed: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-broken-'));
  for (const f of FILES) copyFileSync(join(src, f), join(dir, f));
  edit(dir);
  return FILES.map((f) => join(dir, f));
}

test.describe('load your own model', () => {
  test('a generated tiny checkpoint loads from files, shows its memory estimate and trains', async ({
    page,
    open,
    backend,
  }) => {
    test.skip(backend !== 'wasm', 'wasm');
    await standInForShippedModel(page);
    await open('train', { task: 'names', steps: '8', batch: '4', seq: '16', r: '2' });
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });

    const dir = tinyCheckpoint({ layers: 2, embd: 32, heads: 2, positions: 32, seed: 5 });
    await page.getByLabel('Checkpoint files').setInputFiles(FILES.map((f) => join(dir, f)));
    await expect(page.getByTestId('memory-estimate')).toContainText('GPT-2, 2 layers, width 32');
    await expect(page.getByTestId('memory-estimate')).toContainText(/[\d,]+ parameters/);
    await expect(baseModel(page)).toContainText(/my-model: 2 layers/);
    await expect(page).toHaveURL(/[?&]base=own/);
    await expect(page.getByRole('combobox', { name: 'Base model' })).toHaveValue('own');

    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Finished: completed/ })).toBeVisible({ timeout: 90_000 });
    const summary = page.getByTestId('validation-summary');
    expect(Number(await summary.getAttribute('data-now'))).toBeLessThan(
      Number(await summary.getAttribute('data-base')),
    );

    // Back to the shipped model with the Base model setting.
    await page.getByRole('combobox', { name: 'Base model' }).selectOption('tiny');
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });
  });

  test('a sharded BF16 Llama checkpoint: family, heads, dtype and estimate before loading; its targets; it trains', async ({
    page,
    open,
    backend,
  }) => {
    test.skip(backend !== 'wasm', 'wasm');
    await standInForShippedModel(page);
    await open('train', { task: 'names', steps: '8', batch: '4', seq: '16', r: '2' });
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });

    await page.getByLabel('Checkpoint files').setInputFiles(tinyLlamaFiles(['--seed', '2']));
    const estimate = page.getByTestId('memory-estimate');
    await expect(estimate).toContainText('Llama, 2 layers, width 32, 4 heads (2 key/value heads)');
    await expect(estimate).toContainText(/vocabulary 261: [\d,]+ parameters, stored as BF16/);
    await expect(estimate).toContainText(
      /a LoRA step \(rank 8 on q_proj, v_proj, batch \d+ × \d+\) ≈ [\d.]+ (KiB|MiB)/,
    );
    await expect(baseModel(page)).toContainText(/my-model: 2 layers \(Llama\), width 32/);
    const targets = page.getByRole('group', { name: 'Target modules' });
    for (const t of ['q_proj', 'k_proj', 'v_proj', 'o_proj'])
      await expect(targets.getByRole('checkbox', { name: `self_attn.${t}` })).toBeVisible();
    for (const t of ['gate_proj', 'up_proj', 'down_proj'])
      await expect(targets.getByRole('checkbox', { name: `mlp.${t}` })).toBeVisible();
    await expect(targets.getByRole('checkbox', { name: 'self_attn.q_proj' })).toBeChecked();
    await expect(targets.getByRole('checkbox', { name: 'self_attn.v_proj' })).toBeChecked();
    await expect(targets.getByRole('checkbox', { name: 'self_attn.k_proj' })).not.toBeChecked();
    await targets.getByRole('checkbox', { name: 'mlp.down_proj' }).check();

    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Finished: completed/ })).toBeVisible({ timeout: 90_000 });
    const summary = page.getByTestId('validation-summary');
    expect(Number(await summary.getAttribute('data-now'))).toBeLessThan(
      Number(await summary.getAttribute('data-base')),
    );
    // ΔW of a Llama module: rank ≤ r, and every adapted module (q, v, down of both layers) to choose from.
    const rank = page.getByTestId('rank-statement');
    await expect(rank).toContainText('rank(ΔW) ≤ r = 2');
    expect(Number(await rank.getAttribute('data-above'))).toBeGreaterThan(0);
    const moduleSelect = page.getByRole('combobox', { name: 'adapted module' });
    const options = await moduleSelect.locator('option').allTextContents();
    expect(options).toContain('model.layers.1.mlp.down_proj');
    expect(options.filter((o) => o.startsWith('model.layers.'))).toHaveLength(6);
    await moduleSelect.selectOption('model.layers.1.mlp.down_proj');
    await expect(page.getByRole('img', { name: /Heatmap of ΔW for model\.layers\.1\.mlp\.down_proj/ })).toBeVisible();
    await page.getByRole('button', { name: 'Generate samples' }).click();
    await expect(page.getByTestId('samples-table').locator('tbody tr')).toHaveCount(4);
  });

  test('a malformed checkpoint gives a clear message and the previous model still samples', async ({
    page,
    open,
    backend,
  }) => {
    test.skip(backend !== 'wasm', 'wasm');
    await standInForShippedModel(page);
    await open('train', { task: 'dates' });
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });

    const truncated = broken((d) => {
      const bytes = readFileSync(join(d, 'model.safetensors'));
      writeFileSync(join(d, 'model.safetensors'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    });
    await page.getByLabel('Checkpoint files').setInputFiles(truncated);
    // The headers are read before anything is loaded: the damage is named and nothing was replaced.
    await expect(
      page.getByRole('alert').filter({ hasText: /model\.safetensors: .*run past the end of the data/ }),
    ).toBeVisible();
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);

    const wrongWidth = broken((d) => {
      const config = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config, n_embd: 24 }));
    });
    await page.getByLabel('Checkpoint files').setInputFiles(wrongWidth);
    await expect(page.getByRole('alert').filter({ hasText: /shape/i })).toBeVisible();

    // Files given in the wrong place are named for what they are (issue 12).
    const pointer = broken((d) =>
      writeFileSync(
        join(d, 'model.safetensors'),
        'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 548105171\n',
      ),
    );
    await page.getByLabel('Checkpoint files').setInputFiles(pointer);
    await expect(page.getByRole('alert').filter({ hasText: /this is a Git LFS pointer .*git lfs pull/ })).toBeVisible();
    const absurd = broken((d) => {
      const config = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config, n_layer: 1e15 }));
    });
    await page.getByLabel('Checkpoint files').setInputFiles(absurd);
    await expect(
      page.getByRole('alert').filter({ hasText: /"n_layer" is 1000000000000000, but at most 1,024/ }),
    ).toBeVisible();
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);

    const missing = broken(() => undefined).filter((f) => !f.endsWith('tokenizer.json'));
    await page.getByLabel('Checkpoint files').setInputFiles(missing);
    await expect(page.getByRole('alert').filter({ hasText: 'Missing tokenizer.json' })).toBeVisible();

    await page.getByLabel('Checkpoint files').setInputFiles(wrongWidth);
    await expect(page.getByRole('alert').filter({ hasText: /shape/i })).toBeVisible();
    mkdirSync('e2e/screenshots', { recursive: true });
    await page.getByRole('heading', { name: 'Load your own model' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'e2e/screenshots/train-byo-error-1280.png' });
    await page.getByRole('button', { name: 'Generate samples' }).click();
    await expect(page.getByTestId('samples-table').locator('tbody tr')).toHaveCount(4);
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);
  });
});
