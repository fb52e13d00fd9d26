import { mkdirSync } from 'node:fs';
import { backendOf, expect, test } from './fixtures';

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
      const current = page.getByRole('navigation', { name: 'Sections' }).locator('[aria-current="page"]');
      await expect(current).toHaveCount(1);
      mkdirSync('e2e/screenshots', { recursive: true });
      await page.screenshot({
        path: `e2e/screenshots/${testInfo.project.name}-${route.replace('/', '-') || 'home'}.png`,
        fullPage: true,
      });
    });
  }

  test('navigation links change the route and survive a reload', async ({ page, open }) => {
    await open('');
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'SVD' }).click();
    await expect(page).toHaveURL(/#\/learn\/svd$/);
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toContainText('SVD');
  });

  test('an unknown route says so', async ({ page, open }) => {
    await open('nowhere');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Not found');
  });
});
