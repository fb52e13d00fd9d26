import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';
import { labelsTouchingBoxes } from './helpers/overflow';

test.describe('Learn: adapters at inference', () => {
  test('clicking an adapter swaps it; merge toggles; numbers follow r and k', async ({ page, open }) => {
    await open('learn/adapters');
    await page.getByRole('button', { name: 'text → SQL' }).click();
    await expect(page.getByTestId('swap-status')).toHaveText(/“text → SQL” unmerged/);
    await expect(page.getByRole('button', { name: 'text → SQL' })).toHaveAttribute('aria-pressed', 'true');
    await page.getByRole('checkbox', { name: /merge the active adapter/ }).check();
    await expect(page.getByTestId('swap-status')).toHaveText(/“text → SQL” merged/);
    // Every label keeps clear of its box's edge, the long merged title included.
    await page.getByRole('button', { name: 'legal summaries' }).click();
    expect(await labelsTouchingBoxes(page)).toEqual([]);
    await page.getByRole('button', { name: 'text → SQL' }).click();
    // GPT-2 small fp16, k = 10: 10 × 237 MiB vs 237 MiB + 10 × 576 KiB
    await expect(page.getByTestId('serve-full')).toHaveText('2.32 GiB');
    await expect(page.getByTestId('serve-lora')).toHaveText('243 MiB');
    const k = page.getByRole('slider', { name: 'tasks k' });
    await k.focus();
    await page.keyboard.press('End');
    await expect(page.getByTestId('serve-full')).toHaveText('23.2 GiB');
    await expect(page).toHaveURL(/k=100/);
    // The chart marks the chosen k, with a ring on each line there.
    const mark = page.locator('svg g.mark');
    await expect(mark).toHaveAttribute('data-x', '100');
    await expect(mark.locator('text')).toHaveText('k = 100');
    await expect(mark.locator('circle')).toHaveCount(2);
    // The closing sentence follows k: 100 adapters of 576 KiB on a 237 MiB base.
    await expect(page.getByTestId('serving-rule')).toContainText(
      'Here 100 adapters add 56.3 MiB to the base’s 237 MiB (24 %',
    );
    await page.reload();
    await expect(page.getByTestId('swap-status')).toHaveText(/“text → SQL” merged/);
    await expect(page.getByTestId('serve-full')).toHaveText('23.2 GiB');
  });

  test('links to Train and Adapters; no serious a11y violations; screenshots', async ({ page, open }, testInfo) => {
    await open('learn/adapters');
    await expect(page.getByRole('main').getByRole('link', { name: 'Train' })).toHaveAttribute('href', '#/train');
    await expect(page.getByRole('main').getByRole('link', { name: 'Adapters' })).toHaveAttribute('href', '#/adapters');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    mkdirSync('e2e/screenshots', { recursive: true });
    // In presenter mode (chart text enlarged on a projector), the labels still fit their boxes.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(page.url().replace('#', `${page.url().includes('?') ? '&' : '?'}present#`));
    await expect(page.locator('[data-present-active]')).toBeVisible();
    expect(await labelsTouchingBoxes(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(page.url().replace(/[?&]present/, ''));
    await expect(page.getByTestId('swap-status')).toBeVisible();
    await page.screenshot({
      path: `e2e/screenshots/${testInfo.project.name}-learn4-adapters-1280.png`,
      fullPage: true,
    });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({
      path: `e2e/screenshots/${testInfo.project.name}-learn4-adapters-1920.png`,
      fullPage: true,
    });
  });
});
