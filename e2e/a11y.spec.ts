import AxeBuilder from '@axe-core/playwright';
import { expect, test } from './fixtures';
import { SECTIONS } from '../src/ui/sectionMeta';

// Every route, in light and dark, with presenter mode off and on: no serious or critical axe violation.
for (const scheme of ['light', 'dark'] as const) {
  test.describe(`accessibility (${scheme})`, () => {
    test.use({ colorScheme: scheme });
    for (const { route, title } of SECTIONS) {
      test(`#/${route} (${title})`, async ({ page, open, backend }) => {
        test.skip(backend !== 'wasm', 'axe runs once per theme, on the wasm project');
        await open(route);
        await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
        await page.waitForLoadState('networkidle');
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
      });
    }
  });
}

// Presenter mode: the title card, and a zoomed figure with the speaker notes open, in both themes.
for (const scheme of ['light', 'dark'] as const) {
  test(`presenter mode passes axe too (${scheme})`, async ({ page, backend }) => {
    test.skip(backend !== 'wasm', 'once');
    await page.emulateMedia({ colorScheme: scheme });
    for (const hash of ['#/?card', '#/learn/init']) {
      // The second is a hash change in the same document: the notes stay open.
      await page.goto(`./?present&backend=wasm${hash}`);
      await expect(page.getByTestId('presenter-step')).toContainText('Step');
      await expect(page.locator('[data-present-active]')).toBeVisible();
      if (hash === '#/?card') await page.keyboard.press('n');
      await expect(page.getByTestId('presenter-notes')).toBeVisible();
      const { violations } = await new AxeBuilder({ page }).analyze();
      expect(
        violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id),
        hash,
      ).toEqual([]);
    }
  });
}
