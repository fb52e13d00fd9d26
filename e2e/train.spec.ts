import { mkdirSync, readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { horizontalOverflow, legendsOutside } from './helpers/overflow';
import { standInForShippedModel } from './helpers/tinyGpt2';

// The Train page's own fetches must reach page.route (a service worker would answer first).
test.use({ serviceWorkers: 'block' });

const progress = (page: Page) => page.getByRole('progressbar', { name: 'Training progress' });
const stepCount = async (page: Page) =>
  Number((await page.getByTestId('step-count').textContent())?.match(/step (\d+)/)?.[1] ?? NaN);

async function openTrain(
  page: Page,
  open: (route: string, params?: Record<string, string>) => Promise<void>,
  params: Record<string, string>,
) {
  await standInForShippedModel(page);
  await open('train', params);
  await expect(page.getByRole('status', { name: 'Base model' })).toContainText('parameters', { timeout: 60_000 });
  if (params.task !== 'user') await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
}

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
  await page.screenshot({ path: `e2e/screenshots/${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: `e2e/screenshots/${name}-1920.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Start a run and wait for it to finish; returns its wall time in seconds. */
async function trainToEnd(page: Page, button = 'Start training', timeout = 150_000): Promise<number> {
  const t0 = Date.now();
  await page.getByRole('button', { name: button }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Finished/ })).toBeVisible({ timeout });
  return (Date.now() - t0) / 1000;
}

test.describe('Train page', () => {
  test('idle page passes axe and lists target modules with their parameter counts', async ({ page, open, backend }) => {
    test.skip(backend !== 'wasm', 'once');
    await openTrain(page, open, {});
    await expect(page.getByRole('checkbox', { name: /attn\.c_attn/ })).toBeChecked();
    await expect(page.getByText(/× \(\d+ \+ \d+\) × 8 = [\d,]+ params/).first()).toBeVisible();
    await page.getByRole('combobox', { name: 'rank r' }).selectOption('4');
    await expect(page).toHaveURL(/[?&]r=4/);
    await expect(page.getByText(/× \(\d+ \+ \d+\) × 4 = /).first()).toBeVisible();
    await expect(page.getByTestId('worker-backend')).toContainText('wasm');
    await axeClean(page);
    await shoot(page, 'train-idle');
  });

  test('a LoRA run lowers validation loss, changes samples, keeps rank(ΔW) ≤ r; then full fine-tuning for comparison', async ({
    page,
    open,
    backend,
  }) => {
    const tiny = backend === 'webgpu';
    test.setTimeout(tiny ? 600_000 : 300_000);
    // SwiftShader is slow: a tiny configuration proves WebGPU training end to end.
    const params: Record<string, string> = tiny
      ? { task: 'dates', steps: '4', batch: '2', seq: '8', r: '4', lr: '0.02', sample: '4' }
      : { task: 'dates', steps: '30', batch: '8', seq: '32', r: '4', lr: '0.01' };
    await openTrain(page, open, params);
    await expect(page.getByTestId('worker-backend')).toContainText(backend);
    const loraSeconds = await trainToEnd(page, 'Start training', tiny ? 500_000 : 150_000);
    console.log(`[train] LoRA ${params.steps} steps on ${backend}: ${loraSeconds.toFixed(1)} s`);

    await expect(progress(page)).toHaveAttribute('aria-valuenow', '100');
    const summary = page.getByTestId('validation-summary');
    const base = Number(await summary.getAttribute('data-base'));
    const now = Number(await summary.getAttribute('data-now'));
    expect(now, `validation loss ${base} → ${now}`).toBeLessThan(base);

    // Samples: the adapter's column after training differs from its column at step 0.
    const table = page.getByTestId('samples-table');
    await expect(table.getByRole('columnheader', { name: /with LoRA adapter 'dates-r4', step 0/ })).toBeVisible();
    await expect(
      table.getByRole('columnheader', { name: new RegExp(`with LoRA adapter 'dates-r4', step ${params.steps}`) }),
    ).toBeVisible();
    const rows = await table.locator('tbody tr').all();
    let changed = 0;
    for (const row of rows) {
      const cells = await row.locator('td').allTextContents();
      if (cells[1] !== cells[2]) changed++;
    }
    expect(changed, 'at least one sample changed').toBeGreaterThan(0);

    // ΔW: at most r singular values above the noise floor, and at least one (it learned something).
    const rank = page.getByTestId('rank-statement');
    await expect(rank).toContainText('rank(ΔW) ≤ r = 4');
    const above = Number(await rank.getAttribute('data-above'));
    expect(above).toBeGreaterThan(0);
    expect(above).toBeLessThanOrEqual(4);
    await expect(page.getByRole('link', { name: 'Open in Adapters' })).toHaveAttribute('href', '#/adapters');

    // Choosing another adapted module shows its ΔW (fetched from the Worker after the run).
    const moduleSelect = page.getByRole('combobox', { name: 'adapted module' });
    const options = await moduleSelect.locator('option').allTextContents();
    if (options.length > 1) {
      await moduleSelect.selectOption(options[1]);
      await expect(
        page.getByRole('img', { name: new RegExp(`Heatmap of ΔW for ${options[1].replace(/\./g, '\\.')}`) }),
      ).toBeVisible();
    }

    // One speed definition: the panel's tokens/s is the comparison table's, for this run.
    const speedCell = (col: number) =>
      page
        .getByTestId('compare-table')
        .getByRole('row', { name: /tokens\/s \(median after warm-up\)/ })
        .getByRole('cell')
        .nth(col);
    const panelSpeed = page.getByTestId('panel-tokens-per-sec');
    await expect(panelSpeed).toHaveText(/^[\d,]+$/);
    expect(await speedCell(0).textContent()).toBe(await panelSpeed.textContent());

    // The legend (four entries with their values) stays inside the chart, on a desktop and on a phone.
    expect(await legendsOutside(page, '.train-figure')).toEqual([]);
    if (!tiny) {
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => legendsOutside(page, '.train-figure')).toEqual([]);
      expect(await horizontalOverflow(page), 'the Train page fits a 390 px screen after a run').toBeLessThanOrEqual(0);
      mkdirSync('e2e/screenshots', { recursive: true });
      await page.screenshot({ path: 'e2e/screenshots/train-lora-390.png', fullPage: true });
      await page.setViewportSize({ width: 1280, height: 800 });
      await shoot(page, 'train-lora');
    }
    const fullSeconds = await trainToEnd(page, 'Compare with full fine-tuning', tiny ? 500_000 : 200_000);
    console.log(`[train] full ${params.steps} steps on ${backend}: ${fullSeconds.toFixed(1)} s`);
    const compare = page.getByTestId('compare-table');
    await expect(compare).not.toContainText('not run yet');
    await expect(compare.getByRole('columnheader', { name: /LoRA \('dates-r4'\)/ })).toBeVisible();
    await expect(page.getByTestId('compare-summary')).toContainText(/Full fine-tuning trained \d+× as many parameters/);
    expect(await speedCell(1).textContent()).toBe(await panelSpeed.textContent());
    // Both runs kept: curves on one chart, samples side by side, ΔW of the same module from each.
    await expect(page.getByTestId('compare-loss').locator('g.legend')).toHaveCount(5);
    expect(await legendsOutside(page, '[data-testid="compare-loss"]')).toEqual([]);
    await expect(page.getByTestId('compare-samples').getByRole('columnheader')).toHaveCount(4);
    const fullRank = page.getByTestId('compare-rank-full');
    await expect(fullRank).toContainText('full fine-tuning changes W in every direction');
    const loraAbove = Number(await page.getByTestId('compare-rank-lora').getAttribute('data-above'));
    const fullAbove = Number(await fullRank.getAttribute('data-above'));
    expect(loraAbove).toBeLessThanOrEqual(4);
    expect(fullAbove, 'the full run’s ΔW has more directions than r').toBeGreaterThan(4);
    // The fully fine-tuned model downloads as Hugging Face files.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the fully fine-tuned model' }).click(),
    ]);
    const files = Object.keys(unzipSync(readFileSync((await download.path())!))).map((f) => f.split('/').pop());
    expect(files.sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    if (!tiny) {
      await axeClean(page);
      await shoot(page, 'train-after');
    }
  });

  test('pause takes effect within a second, resume continues, stop ends the run', async ({ page, open, backend }) => {
    test.skip(backend !== 'wasm', 'timing test on wasm');
    await openTrain(page, open, { task: 'names', steps: '2000', batch: '2', seq: '16', r: '2' });
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(() => stepCount(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByRole('button', { name: 'Resume' })).toBeVisible();
    await page.waitForTimeout(1000);
    const paused = await stepCount(page);
    await page.waitForTimeout(2000);
    expect(await stepCount(page), 'no steps while paused').toBe(paused);
    await expect(page.getByRole('status').filter({ hasText: 'Paused.' })).toBeVisible();

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => stepCount(page), { timeout: 30_000 }).toBeGreaterThan(paused + 2);
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Finished: stopped/ })).toBeVisible({ timeout: 60_000 });
    const final = await stepCount(page);
    expect(final).toBeLessThan(2000);
    expect(Number(await progress(page).getAttribute('aria-valuenow'))).toBeLessThan(100);
    await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
  });

  test('your own text: unknown characters are warned about, oversize text is refused', async ({
    page,
    open,
    backend,
  }) => {
    test.skip(backend !== 'wasm', 'once');
    await openTrain(page, open, { task: 'user' });
    await expect(page.getByRole('button', { name: 'Start training' })).toBeDisabled();
    const box = page.getByRole('textbox', { name: /Your text/ });
    await box.fill('Café au lait\nCrème brûlée\nA plain line\nAnother plain line');
    await expect(page.getByRole('alert').filter({ hasText: /not in the model's vocabulary \(.*é/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start training' })).toBeEnabled();
    // On a phone the box, its file input and its label fit, and the page does not scroll sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    const drop = page.locator('.train-usertext');
    const file = drop.locator('input[type=file]');
    const [dropBox, fileBox] = [await drop.boundingBox(), await file.boundingBox()];
    expect(fileBox!.x + fileBox!.width).toBeLessThanOrEqual(dropBox!.x + dropBox!.width);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
    await box.fill('x'.repeat(210_000));
    await expect(page.getByRole('alert').filter({ hasText: /limit is 200 KiB/ })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Start training' })).toBeDisabled();
  });
});
