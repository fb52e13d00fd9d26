import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';
import { clippedInputs } from './helpers/overflow';

const SEED_MERGED = '[4.1 8.62 13.56; 6.3 13.26 20.88; 8.8 18.56 29.28]';

test.describe('Learn: merge', () => {
  test('the worked example’s numbers appear exactly', async ({ page, open }) => {
    await open('learn/merge');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Merge: W = W₀ + s·B·A');
    await expect(
      page.getByRole('img', { name: 'B·A = [2.1 4.62 7.56; 3.3 7.26 11.88; 4.8 10.56 17.28]' }),
    ).toBeVisible();
    const merged = page.getByRole('img', { name: `W = W₀ + s·B·A = ${SEED_MERGED}` });
    await expect(merged).toBeVisible();
    for (const v of ['4.1', '8.62', '13.56', '6.3', '13.26', '20.88', '8.8', '18.56', '29.28'])
      await expect(merged).toContainText(v);
    await expect(page.getByTestId('forward-diff')).toContainText('Largest difference between the two');
    await expect(page.getByTestId('saving-callout')).toContainText('small: 6 numbers here instead of 9.');
  });

  test('matrix cells grow with their numbers: nothing is clipped', async ({ page, open }) => {
    await open('learn/merge');
    await page.getByRole('textbox', { name: 'B row 1, column 1' }).fill('7.4815');
    await page.getByRole('textbox', { name: 'A row 1, column 3' }).fill('-12345.678');
    await page.getByRole('textbox', { name: 'x row 2, column 1' }).fill('3.14159');
    await page.getByRole('heading', { level: 1 }).click();
    expect(await clippedInputs(page, '.matrix-editor')).toEqual([]);
  });

  test('the saving sentence follows r: at r = 3 the factors are bigger than a 3×3 W', async ({ page, open }) => {
    await open('learn/merge');
    await page.getByRole('slider', { name: 'rank r' }).fill('3');
    await expect(page.getByTestId('saving-callout')).toContainText(
      'usually small, but not at this size: r = 3 stores 18 numbers, more than W’s 9. A 3×3 layer saves only up to r = 1',
    );
  });

  test('α, r and rsLoRA change s and the merge; x changes both outputs together', async ({ page, open }) => {
    await open('learn/merge');
    const alpha = page.getByRole('slider', { name: 'alpha α' });
    await alpha.fill('2');
    await expect(page.getByRole('img', { name: /^W = W₀ \+ s·B·A = \[6\.2 13\.24 21\.12;/ })).toBeVisible();
    await page.getByRole('slider', { name: 'rank r' }).fill('2');
    // s = 2/2 = 1: the worked example's merge again (the new column of B and row of A are zero)
    await expect(page.getByRole('img', { name: /^W = W₀ \+ s·B·A = \[4\.1 8\.62 13\.56;/ })).toBeVisible();
    await page.getByRole('checkbox', { name: 'rsLoRA (s = α/√r)' }).check();
    // s = 2/√2 = √2: 2 + 2.1·√2 = 4.96985
    await expect(page.getByRole('img', { name: /^W = W₀ \+ s·B·A = \[4\.9698/ })).toBeVisible();
    await page.getByRole('checkbox', { name: 'rsLoRA (s = α/√r)' }).uncheck();
    await page.getByRole('textbox', { name: 'x row 1, column 1' }).fill('0');
    await page.getByRole('textbox', { name: 'x row 2, column 1' }).fill('0');
    await page.getByRole('textbox', { name: 'x row 3, column 1' }).fill('1');
    // x = e3: both outputs are the third column of the merged matrix.
    await expect(page.getByRole('img', { name: 'unmerged: W₀x + s·B(Ax) = [13.56; 20.88; 29.28]' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'merged: (W₀ + s·BA)x = [13.56; 20.88; 29.28]' })).toBeVisible();
  });

  test('a URL with state restores the view; axe; screenshots', async ({ page, open }, testInfo) => {
    await open('learn/merge', { alpha: '16', B: '1,0;0,1;1,1', A: '1,0,0;0,1,0', rslora: '0' });
    await expect(page.getByRole('slider', { name: 'rank r' })).toHaveValue('2');
    await expect(page.getByTestId('scaling')).toContainText('= 8');
    await expect(page.getByTestId('scaling-note')).toContainText('Here s = 8: B·A is scaled by 8 before it is added.');
    await expect(page.getByRole('img', { name: /^W = W₀ \+ s·B·A = \[10 4 6; 3 14 9; 12 16 12\]$/ })).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    await open('learn/merge');
    await expect(page.getByRole('img', { name: `W = W₀ + s·B·A = ${SEED_MERGED}` })).toBeVisible();
    mkdirSync('e2e/screenshots', { recursive: true });
    for (const [w, h] of [
      [1280, 800],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn-merge-${w}.png`, fullPage: true });
    }
  });
});
