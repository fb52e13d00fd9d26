/**
 * Shared e2e fixtures: every test fails on a console error or page error, and `open(route)`
 * loads a route with the project's backend (`?backend=wasm` on the wasm project).
 */
import { test as base, expect, type Page } from '@playwright/test';

type Fixtures = {
  backend: 'webgpu' | 'wasm';
  open: (route: string, params?: Record<string, string>) => Promise<void>;
  consoleErrors: string[];
};

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure
  backend: async ({}, use, testInfo) => {
    await use(testInfo.project.metadata.backend as 'webgpu' | 'wasm');
  },
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
    await use(errors);
    expect(errors, 'no console or page errors').toEqual([]);
  },
  open: async ({ page, backend, consoleErrors }, use) => {
    void consoleErrors;
    await use(async (route, params) => {
      const search = backend === 'wasm' ? '?backend=wasm' : '';
      const qs = params ? `?${new URLSearchParams(params)}` : '';
      await page.goto(`./${search}#/${route}${qs}`);
    });
  },
});

export { expect };

/** Wait until the backend badge reports a backend, and return its name. */
export async function backendOf(page: Page): Promise<string> {
  const badge = page.getByTestId('backend-badge');
  await expect(badge).not.toHaveAttribute('data-backend', '', { timeout: 60_000 });
  return (await badge.getAttribute('data-backend')) ?? '';
}
