import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

test.describe('Learn: Adam', () => {
  test('bias correction is visible; sliders change the path numbers; URL restores them', async ({ page, open }) => {
    await open('learn/adam');
    // At t = 1, m̂ = g, so the first step is −lr·sign(g): (−0.100, ±0.100) at lr = 0.1
    await expect(page.getByTestId('step-1')).toHaveText(/^\(-?0\.100,\s*-?0\.100\)$/);
    const before = await page.getByTestId('loss-adam').textContent();
    const lr = page.getByRole('slider', { name: 'Adam lr' });
    await lr.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('step-1')).toHaveText(/^\(-?0\.0950,\s*-?0\.0950\)$/);
    await expect(page.getByTestId('loss-adam')).not.toHaveText(before ?? '');
    await expect(page).toHaveURL(/lr=0\.095/);
    await page.reload();
    await expect(page.getByRole('slider', { name: 'Adam lr' })).toHaveValue('0.095');
  });

  test('step/reset and the surface choice are in the URL', async ({ page, open }) => {
    await open('learn/adam', { surface: 'rosenbrock', t: '0' });
    await expect(page.getByRole('radio', { name: /Rosenbrock/ })).toBeChecked();
    await page.getByRole('button', { name: 'Step', exact: true }).click();
    await expect(page).toHaveURL(/t=1/);
    await expect(page.getByRole('table', { name: /Loss after 1 steps/ })).toBeVisible();
    // The explanation follows the surface: no narrow valley here, Rosenbrock's curvatures at (1, 1).
    const sentence = page.getByTestId('curvature-sentence');
    await expect(sentence).toContainText('Near the minimum of the curved valley the curvature is 101.6');
    await expect(sentence).toContainText('2 / 101.6 = 0.020');
    await expect(sentence).toContainText('your SGD lr of 0.02 is above that limit, so SGD cannot settle');
    await expect(sentence).not.toContainText('narrow valley');
    await page.getByRole('radio', { name: /narrow valley/ }).check();
    await expect(sentence).toContainText(
      'In the narrow valley the curvature is 20 across the valley and 1 along its floor',
    );
    await expect(sentence).toContainText('2 / 20 = 0.10');
  });

  test('LoRA’s optimizer-state saving; no serious a11y violations; screenshots', async ({ page, open }, testInfo) => {
    await open('learn/adam');
    // The plot is drawn at its shown width, so its tick labels are as large as the page's small text.
    const tick = page.locator('#adam-contour .x-axis text').first();
    await expect(tick).toBeVisible();
    expect((await tick.boundingBox())!.height).toBeGreaterThanOrEqual(13);
    // Every surface's full name shows (no drop-down that cuts it off).
    const column = (await page.locator('.adam-controls').boundingBox())!;
    for (const name of [/narrow valley \(quadratic, condition number 20\)/, /curved valley \(Rosenbrock, b = 10\)/]) {
      const box = (await page.locator('.surface-pick label').filter({ hasText: name }).boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(column.x + column.width + 1);
    }
    await expect(page.getByTestId('adam-full')).toHaveText('949 MiB');
    await expect(page.getByTestId('adam-lora')).toHaveText('2.25 MiB');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    mkdirSync('e2e/screenshots', { recursive: true });
    await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn4-adam-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn4-adam-1920.png`, fullPage: true });
  });
});
