import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const PANELS = ['base', 'r1', 'r2', 'r4', 'full'] as const;

async function accuracies(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const id of PANELS) out[id] = Number(await page.getByTestId(`panel-${id}`).getAttribute('data-accuracy'));
  return out;
}

const tensors = async (page: Page) => Number(await page.getByTestId('tensor-count').textContent());
const stepOf = async (page: Page) => Number(await page.getByTestId('lab-step').textContent());

test.describe('Train: 2-D classifier lab', () => {
  test('Play fine-tunes all four runs: accuracy on the rotated data rises in every panel, tensors stay flat', async ({
    page,
    open,
    backend,
  }, testInfo) => {
    test.skip(backend !== 'wasm', 'the long run is for wasm; webgpu has its own smoke test below');
    await open('train/classifier', { steps: '120' });
    await expect(page.getByTestId('panel-full')).toBeVisible({ timeout: 60_000 });
    const before = await accuracies(page);
    for (const id of PANELS) expect(before[id], `${id} starts at the base's accuracy (B = 0)`).toBe(before.base);
    expect(before.base).toBeLessThan(0.5);
    await expect(page.getByTestId('panel-r1')).toContainText('trainable params: 132 ||');
    await expect(page.getByTestId('panel-full')).toContainText('trainable params: 1,218 ||');

    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
    const early = await tensors(page);
    // The page stays responsive while playing: Pause answers and stops the steps.
    await page.getByRole('button', { name: 'Pause' }).click();
    const paused = await stepOf(page);
    await page.waitForTimeout(500);
    expect(await stepOf(page)).toBe(paused);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByTestId('lab-step')).toHaveText('120', { timeout: 90_000 });
    await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
    expect(await tensors(page), 'tensor count flat while playing').toBe(early);

    const after = await accuracies(page);
    console.log(
      `accuracy before → after 120 steps: ${PANELS.map((id) => `${id} ${before[id].toFixed(3)} → ${after[id].toFixed(3)}`).join(', ')}`,
    );
    expect(after.base).toBe(before.base);
    for (const id of ['r1', 'r2', 'r4', 'full'])
      expect(after[id], `${id} accuracy rose`).toBeGreaterThan(before[id] + 0.3);
    await expect(page.getByTestId('lab-explain')).toContainText('after 120 steps');

    const axe = await new AxeBuilder({ page }).analyze();
    expect(
      axe.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
    ).toEqual([]);
    mkdirSync('e2e/screenshots', { recursive: true });
    await page.screenshot({
      path: `e2e/screenshots/${testInfo.project.name}-train-classifier-1280.png`,
      fullPage: true,
    });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({
      path: `e2e/screenshots/${testInfo.project.name}-train-classifier-1920.png`,
      fullPage: true,
    });
  });

  test('settings live in the URL; Step, Reset and bad input behave', async ({ page, open, backend }) => {
    test.skip(backend !== 'wasm', 'wasm');
    await open('train/classifier', { data: 'xor', theta: '0', layers: '1', seed: '7' });
    await expect(page.getByTestId('panel-full')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('combobox', { name: 'new data' })).toHaveValue('xor');
    await expect(page.getByRole('slider', { name: 'rotation θ' })).toHaveValue('0');
    await expect(page.getByRole('checkbox', { name: /layers\.1/ })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: /layers\.0/ })).not.toBeChecked();
    await expect(page.getByTestId('panel-r1')).toContainText('trainable params: 64 ||'); // r·(32 + 32)

    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page.getByTestId('lab-step')).toHaveText('3');
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect(page.getByTestId('lab-step')).toHaveText('0');

    await page.getByRole('checkbox', { name: /layers\.1/ }).click(); // the last one: refused with a message
    await expect(page.getByRole('alert')).toContainText('LoRA needs at least one layer');
    await expect(page.getByRole('checkbox', { name: /layers\.1/ })).toBeChecked();

    await page.getByRole('spinbutton', { name: 'steps' }).fill('abc');
    await expect(page.getByRole('alert').filter({ hasText: 'steps' })).toHaveText(
      'steps must be a whole number; still using 300.',
    );
    await page.getByRole('spinbutton', { name: 'steps' }).fill('50');
    await expect(page).toHaveURL(/steps=50/);
    await expect(page.getByText('step 0 / 50')).toBeVisible();

    await page.getByRole('combobox', { name: 'new data' }).selectOption('circles');
    await expect(page).toHaveURL(/data=circles/);
    await page.reload();
    await expect(page.getByRole('combobox', { name: 'new data' })).toHaveValue('circles', { timeout: 60_000 });
    await expect(page.getByRole('spinbutton', { name: 'steps' })).toHaveValue('50');
  });

  test('webgpu smoke: a few steps train every run on the GPU backend', async ({ page, open, backend }) => {
    test.skip(backend !== 'webgpu', 'webgpu only');
    await open('train/classifier', { steps: '6', lr: '0.01' });
    await expect(page.getByTestId('panel-full')).toBeVisible({ timeout: 90_000 });
    const before = await accuracies(page);
    const t0 = await tensors(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect(page.getByTestId('lab-step')).toHaveText('6', { timeout: 90_000 });
    const after = await accuracies(page);
    console.log(
      `webgpu accuracy before → after 6 steps: ${PANELS.map((id) => `${id} ${before[id].toFixed(3)} → ${after[id].toFixed(3)}`).join(', ')}`,
    );
    for (const id of ['r1', 'r2', 'r4', 'full']) expect(after[id], `${id} accuracy rose`).toBeGreaterThan(before[id]);
    expect(await tensors(page)).toBe(t0);
  });
});
