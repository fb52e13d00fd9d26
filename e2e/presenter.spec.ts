import { expect, test } from './fixtures';
import { DEFAULT_SEQUENCE, figureOf } from '../src/ui/presenter';
import { figureFit, fitProblem } from './helpers/present';

const N = DEFAULT_SEQUENCE.length;

test.describe('presenter mode', () => {
  test('steps through the default sequence by keyboard, each figure filling the screen above the bar', async ({
    page,
    backend,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`./?present${backend === 'wasm' ? '&backend=wasm' : ''}#/?card`);
    const step = page.getByTestId('presenter-step');
    await expect(step).toHaveText(`Step 1 of ${N}: ${DEFAULT_SEQUENCE[0].title}`);
    // A title card first, not the overview's list of links.
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEFAULT_SEQUENCE[0].title);
    await expect(page.getByRole('navigation', { name: 'Sections' })).toBeHidden();
    // Geometry is the same on every backend: both screen sizes on one project.
    const sizes =
      backend === 'wasm'
        ? [
            { width: 1280, height: 720 },
            { width: 1920, height: 1080 },
          ]
        : [];
    const keys = ['ArrowRight', ' ', 'PageDown'];
    for (let i = 0; i < N; i++) {
      if (i > 0) await page.keyboard.press(keys[i % keys.length]);
      const s = DEFAULT_SEQUENCE[i];
      await expect(step).toHaveText(`Step ${i + 1} of ${N}: ${s.title}`);
      if (i > 0) {
        await expect(page).toHaveURL(
          new RegExp(`#/${s.route.replace('/', '\\/')}${s.params ? `\\?${s.params}` : ''}$`),
        );
      }
      for (const size of sizes) {
        await page.setViewportSize(size);
        await expect
          .poll(async () => fitProblem(await figureFit(page), figureOf(s)!), {
            message: `step ${i + 1} (${s.title}) at ${size.width}×${size.height}`,
          })
          .toBe('');
      }
    }
    await page.keyboard.press('PageUp');
    await expect(step).toContainText(`Step ${N - 1} of`);
    await page.keyboard.press('ArrowLeft');
    await expect(step).toContainText(`Step ${N - 2} of`);
    await page.keyboard.press('Home');
    await expect(step).toContainText('Step 1 of');
    await page.keyboard.press('Escape');
    await expect(step).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  });

  test('speaker notes on N, the whole page on F, side notes hidden', async ({ page, backend }) => {
    test.skip(backend !== 'wasm', 'layout only');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('./?present&backend=wasm#/learn/rank');
    const rank = DEFAULT_SEQUENCE.find((s) => s.route === 'learn/rank')!;
    await expect.poll(async () => fitProblem(await figureFit(page), 'rank-factors')).toBe('');
    await expect(page.getByTestId('presenter-notes')).toBeHidden();
    await page.keyboard.press('n');
    await expect(page.getByTestId('presenter-notes')).toHaveText(rank.notes!);
    // The bar grew; the figure moved up with it.
    await expect.poll(async () => fitProblem(await figureFit(page), 'rank-factors')).toBe('');
    await page.keyboard.press('f');
    await expect(page.getByRole('button', { name: 'Whole page' })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => (await figureFit(page)).name).toBeNull();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('complementary', { name: /Names/ })).toBeHidden();
    await page.keyboard.press('f');
    await expect.poll(async () => fitProblem(await figureFit(page), 'rank-factors')).toBe('');
  });

  test('records a custom sequence and replays it from a shared link', async ({ page, browser, backend }) => {
    const q = backend === 'wasm' ? '&backend=wasm' : '';
    await page.goto(`./?present${q}#/learn/merge`);
    await page.getByText('Sequence', { exact: true }).click();
    await page.getByRole('button', { name: 'Start my sequence here' }).click();
    await page.goto(`${page.url().split('#')[0]}#/learn/svd?k=2`);
    await page.getByText('Sequence', { exact: true }).click();
    await page.getByRole('button', { name: 'Add this view' }).click();
    const shared = page.url();
    expect(shared).toContain('seq=');

    const other = await browser.newPage();
    await other.goto(shared.replace(/#.*$/, '#/learn/merge'));
    const step = other.getByTestId('presenter-step');
    await expect(step).toHaveText(/^Step 1 of 2: Merge/);
    await other.keyboard.press('ArrowRight');
    await expect(step).toHaveText(/^Step 2 of 2: SVD \(k=2\)/);
    await expect(other).toHaveURL(/#\/learn\/svd\?k=2$/);
    // A recorded view zooms to its route's figure too.
    await expect.poll(async () => (await figureFit(other)).name).toBe('svd-maps');
    await other.close();
  });

  test('a malformed sequence link falls back to the default sequence', async ({ page }) => {
    await page.goto(`./?present&seq=garbage#/?card`);
    await expect(page.getByTestId('presenter-step')).toHaveText(new RegExp(`^Step 1 of ${N}:`));
  });

  test('the toggle in the header turns presenter mode on and off', async ({ page, open }) => {
    await open('learn/rank');
    const toggle = page.getByRole('button', { name: 'Present', exact: true });
    await toggle.click();
    await expect(page.getByRole('region', { name: 'Presenter' })).toBeVisible();
    await page.keyboard.press('f');
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await toggle.click();
    await expect(page.getByRole('region', { name: 'Presenter' })).toBeHidden();
  });
});
