import { expect, test } from './fixtures';

test.describe('offline and private', () => {
  test('after the first visit the app works with the network off', async ({ page, context, open }) => {
    await open('');
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    // The worker precaches everything on install; wait until it controls this page.
    await page.reload();
    await expect.poll(() => page.evaluate('!!navigator.serviceWorker.controller')).toBe(true);
    await context.setOffline(true);
    for (const route of ['learn/rank', 'learn/svd', 'train']) {
      await page.goto(`${page.url().split('#')[0]}#/${route}`);
      const res = await page.reload();
      expect(res?.fromServiceWorker(), `${route} served by the offline cache`).toBe(true);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
    await context.setOffline(false);
  });

  test('visiting every section requests nothing outside the app’s origin', async ({ page, open, baseURL }) => {
    const outside: string[] = [];
    page.on('request', (req) => {
      const url = req.url();
      if (!url.startsWith(baseURL!.replace(/\/$/, '')) && !url.startsWith('blob:') && !url.startsWith('data:'))
        outside.push(url);
    });
    await open('');
    const links = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
    const n = await links.count();
    for (let i = 0; i < n; i++) {
      await links.nth(i).click();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
    expect(outside).toEqual([]);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'self'");
  });
});
