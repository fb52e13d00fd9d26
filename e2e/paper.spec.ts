/**
 * The paper lab on the wasm project: a short rank sweep (r = 1, 8, 64 × 8 steps, from the URL)
 * shows its table and sentence, φ renders for r = 8 vs r = 64, amplification shows numbers, a kept
 * run appears on the Adapters page, and the recipe zip holds train_lora.py with the run's values.
 * Also the Train page's recipe button, from the current settings.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { unzipSync, strFromU8 } from 'fflate';
import { expect, test } from './fixtures';
import { standInForShippedModel } from './helpers/tinyGpt2';
import { settingsFromScript } from '../src/engine/recipe/trainScript';

test.use({ serviceWorkers: 'block' }); // page.route must see the model fetches

async function axeClean(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(' | ')}`,
    );
  expect(bad).toEqual([]);
}

async function shoot(page: Page, name: string) {
  mkdirSync('e2e/screenshots', { recursive: true });
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
    [390, 844],
  ]) {
    await page.setViewportSize({ width: w, height: h });
    await page.waitForTimeout(200); // let the charts redraw at the new width
    await page.screenshot({ path: `e2e/screenshots/${name}-${w}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** The zip a download button gives, as file name → text. */
async function downloadZip(page: Page, button: string): Promise<{ name: string; files: Record<string, string> }> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const entries = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const files = Object.fromEntries(
    Object.entries(entries).map(([k, v]) => [k, k.endsWith('.safetensors') ? `${v.length} bytes` : strFromU8(v)]),
  );
  return { name: download.suggestedFilename(), files };
}

test.describe('Paper lab', () => {
  test('rank sweep → table and sentence, φ, amplification, keep, recipe', async ({ page, open, backend }) => {
    test.skip(backend !== 'wasm', 'trains for real: the wasm project');
    test.setTimeout(150_000);
    await standInForShippedModel(page);
    await open('paper', { ranks: '1,8,64', steps: '8' });
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Paper lab');
    await expect(page.getByRole('status').filter({ hasText: 'Base model' })).toContainText('layers', {
      timeout: 60_000,
    });
    await expect(page.getByText('3 runs × 8 steps')).toBeVisible();
    await page.getByRole('button', { name: 'Run the rank sweep' }).click();
    await expect(page.getByTestId('sweep-progress')).toBeVisible();
    const summary = page.getByTestId('rank-summary');
    await expect(summary).toBeVisible({ timeout: 90_000 });
    await expect(summary).toContainText(/r = 1/);
    for (const r of [1, 8, 64]) await expect(page.getByTestId(`rank-row-${r}`)).toContainText(/\d\.\d{3}/);
    await expect(page.getByRole('img', { name: /Validation loss by rank: r = 1: \d/ })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: /^Finished: 3 runs of 8 steps/ })).toBeVisible();
    await axeClean(page);
    await shoot(page, 'paper-rank');

    await page.getByRole('button', { name: 'Keep sweep-r8 as an adapter' }).click();
    await expect(page.getByRole('link', { name: /sweep-r8 kept as adapter sweep-r8/ })).toBeVisible();

    await page.getByRole('radio', { name: 'Subspace similarity (Fig. 3, 4)' }).check();
    await expect(page).toHaveURL(/view=subspace/);
    const heatmap = page.getByTestId('phi-heatmap');
    await expect(heatmap).toBeVisible();
    await expect(heatmap.locator('rect.cell')).toHaveCount(8 * 64);
    await expect(page.getByLabel('first adapter')).toHaveValue('sweep-r8');
    await expect(page.getByLabel('second adapter')).toHaveValue('sweep-r64');
    await expect(page.getByTestId('phi-sentence')).toContainText(/φ\(1, 1\) = \d\.\d\d/);
    await page.getByLabel('module', { exact: true }).selectOption('transformer.h.1.attn.c_attn');
    await expect(page).toHaveURL(/module=transformer\.h\.1\.attn\.c_attn/);
    await expect(page.getByRole('img', { name: /module transformer\.h\.1\.attn\.c_attn/ })).toBeVisible();
    await axeClean(page);
    await shoot(page, 'paper-subspace');

    await page.getByRole('radio', { name: 'Amplification (§7.3)' }).check();
    await expect(page.getByTestId('amplify-table')).toBeVisible();
    await expect(page.getByTestId('amplify-factor')).toHaveText(/^\d+\.\d{3}$/);
    await expect(page.getByTestId('amplify-sentence')).toContainText('amplification factor');
    await shoot(page, 'paper-amplify');

    await page.getByLabel('run', { exact: true }).selectOption('sweep-r8');
    const zip = await downloadZip(page, 'Download a PEFT + Accelerate recipe');
    expect(zip.name).toBe('lowrank-recipe-sweep-r8.zip');
    const dir = 'lowrank-recipe-sweep-r8/';
    expect(Object.keys(zip.files)).toEqual(
      expect.arrayContaining([
        `${dir}train_lora.py`,
        `${dir}requirements.txt`,
        `${dir}train.txt`,
        `${dir}base/model.safetensors`,
      ]),
    );
    const script = zip.files[`${dir}train_lora.py`];
    expect(script).toContain('LoraConfig');
    const settings = settingsFromScript(script);
    expect(settings.lora).toMatchObject({ r: 8, lora_alpha: 16, target_modules: ['attn.c_attn'] });
    expect(settings.training).toMatchObject({ steps: 8, batch: 8, seq: 32, seed: 0 });
    expect(settings.browser?.steps).toBe(8);

    await page.goto(page.url().replace(/#.*$/, '#/adapters'));
    await expect(page.getByTestId('adapter-row-sweep-r8')).toBeVisible({ timeout: 60_000 });
  });

  test('Cancel stops the run in progress and the rest of the sweep', async ({ page, open, backend }) => {
    test.skip(backend !== 'wasm', 'once');
    await standInForShippedModel(page);
    await open('paper', { ranks: '1,2', steps: '2000' });
    await expect(page.getByRole('status').filter({ hasText: 'Base model' })).toContainText('layers', {
      timeout: 60_000,
    });
    await page.getByRole('button', { name: 'Run the rank sweep' }).click();
    await expect(page.getByTestId('sweep-progress')).toContainText(/step [1-9]\d* of 2000/, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Cancel the sweep' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Stopped: 0 of 2 runs finished/ })).toBeVisible();
    await expect(page.getByText('No rank sweep yet')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Run the rank sweep' })).toBeEnabled();
  });

  test('the Train page downloads a recipe of its current settings', async ({ page, open, backend }) => {
    test.skip(backend !== 'wasm', 'once');
    await standInForShippedModel(page);
    await open('train', { r: '4', steps: '30' });
    await expect(page.getByRole('status', { name: 'Base model' })).toContainText('parameters', { timeout: 60_000 });
    await expect(page.getByText('The current settings (not trained here yet)')).toBeVisible();
    const zip = await downloadZip(page, 'Download a PEFT + Accelerate recipe');
    expect(zip.name).toBe('lowrank-recipe-names-r4.zip');
    const settings = settingsFromScript(zip.files['lowrank-recipe-names-r4/train_lora.py']);
    expect(settings.lora).toMatchObject({ r: 4 });
    expect(settings.training).toMatchObject({ steps: 30 });
    expect(settings.browser).toBeNull();
  });
});
