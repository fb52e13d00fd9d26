import { expect, test } from './fixtures';
import { DEFAULT_SEQUENCE } from '../src/ui/presenter';

test.describe('presenter mode', () => {
  test('steps through the default sequence by keyboard, forward and back', async ({ page, backend }) => {
    await page.goto(`./?present${backend === 'wasm' ? '&backend=wasm' : ''}#/`);
    const step = page.getByTestId('presenter-step');
    await expect(step).toHaveText(`Step 1 of ${DEFAULT_SEQUENCE.length}: ${DEFAULT_SEQUENCE[0].title}`);
    await expect(page.getByRole('navigation', { name: 'Sections' })).toBeHidden();
    const keys = ['ArrowRight', ' ', 'PageDown'];
    for (let i = 1; i < DEFAULT_SEQUENCE.length; i++) {
      await page.keyboard.press(keys[i % keys.length]);
      const s = DEFAULT_SEQUENCE[i];
      await expect(step).toHaveText(`Step ${i + 1} of ${DEFAULT_SEQUENCE.length}: ${s.title}`);
      await expect(page).toHaveURL(new RegExp(`#/${s.route.replace('/', '\\/')}${s.params ? `\\?${s.params}` : ''}$`));
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    }
    await page.keyboard.press('PageUp');
    await expect(step).toContainText(`Step ${DEFAULT_SEQUENCE.length - 1} of`);
    await page.keyboard.press('ArrowLeft');
    await expect(step).toContainText(`Step ${DEFAULT_SEQUENCE.length - 2} of`);
    await page.keyboard.press('Home');
    await expect(step).toContainText('Step 1 of');
    await page.keyboard.press('Escape');
    await expect(step).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  });

  test('records a custom sequence and replays it from a shared link', async ({ page, browser, backend }) => {
    const q = backend === 'wasm' ? '&backend=wasm' : '';
    await page.goto(`./?present${q}#/learn/merge`);
    await page.getByRole('button', { name: 'Start my sequence here' }).click();
    await page.goto(`${page.url().split('#')[0]}#/learn/svd?k=2`);
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
    await other.close();
  });

  test('a malformed sequence link falls back to the default sequence', async ({ page }) => {
    await page.goto(`./?present&seq=garbage#/`);
    await expect(page.getByTestId('presenter-step')).toHaveText(new RegExp(`^Step 1 of ${DEFAULT_SEQUENCE.length}:`));
  });

  test('the toggle in the header turns presenter mode on and off', async ({ page, open }) => {
    await open('learn/rank');
    const toggle = page.getByRole('button', { name: 'Present', exact: true });
    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('region', { name: 'Presenter' })).toBeVisible();
    await toggle.click();
    await expect(page.getByRole('region', { name: 'Presenter' })).toBeHidden();
  });
});
