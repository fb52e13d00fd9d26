import { mkdirSync } from 'node:fs';
import { backendOf, expect, test } from './fixtures';
import { horizontalOverflow } from './helpers/overflow';
import { foreignVoice } from './helpers/voice';

const ROUTES = [
  ['', 'LoRA, learned and trained in your browser'],
  ['start', 'Start here'],
  ['learn/rank', 'Rank'],
  ['learn/svd', 'SVD'],
  ['learn/merge', 'Merge'],
  ['learn/init', 'Init & scaling'],
  ['learn/params', 'Parameters'],
  ['learn/adam', 'Adam'],
  ['learn/adapters', 'Adapters at inference'],
  ['train', 'Train'],
  ['train/classifier', '2-D lab'],
  ['adapters', 'Adapters'],
  ['inspect', 'Inspect'],
] as const;

test.describe('app shell', () => {
  for (const [route, title] of ROUTES) {
    test(`route #/${route} renders with the right backend`, async ({ page, open, backend }, testInfo) => {
      await open(route);
      await expect(page.getByRole('heading', { level: 1 })).toContainText(title.split(' ')[0]);
      expect(await backendOf(page)).toBe(backend);
      if (backend === 'webgpu') {
        await expect(page.getByTestId('backend-badge')).toContainText('webgpu ·');
      }
      // The product's own voice: nothing about "the notes" or "the seed's numbers" (a random seed is fine).
      await page.waitForLoadState('networkidle');
      expect(foreignVoice(await page.locator('body').innerText())).toEqual([]);
      const current = page.getByRole('navigation', { name: 'Sections' }).locator('[aria-current="page"]');
      await expect(current).toHaveCount(1);
      mkdirSync('e2e/screenshots', { recursive: true });
      const name = `e2e/screenshots/${testInfo.project.name}-${route.replace('/', '-') || 'home'}`;
      await page.screenshot({ path: `${name}.png`, fullPage: true });
      if (backend !== 'wasm') return;
      // On a phone: the sections are behind a menu, and nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect(page.getByRole('navigation', { name: 'Sections' })).toBeHidden();
      await page.waitForLoadState('networkidle');
      expect(await horizontalOverflow(page), `#/${route} at 390 px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `${name}-390.png`, fullPage: true });
    });
  }

  test('navigation links change the route and survive a reload', async ({ page, open }) => {
    await open('');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'SVD' }).click();
    await expect(page).toHaveURL(/#\/learn\/svd$/);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('SVD');
  });

  test('on a phone the sections are a menu that closes once one is picked', async ({ page, open }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open('learn/rank');
    const nav = page.getByRole('navigation', { name: 'Sections' });
    const menu = page.getByRole('button', { name: 'Menu' });
    await expect(nav).toBeHidden();
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await nav.getByRole('link', { name: 'Merge' }).click();
    await expect(page).toHaveURL(/#\/learn\/merge$/);
    await expect(nav).toBeHidden();
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect(menu).toBeHidden();
    await expect(nav).toBeVisible();
  });

  test('an unknown route says so', async ({ page, open }) => {
    await open('nowhere');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');
  });
});
