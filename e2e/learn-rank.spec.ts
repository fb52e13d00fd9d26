import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';
import { clippedInputs } from './helpers/overflow';

test.describe('Learn: rank and factorization', () => {
  test('seed matrix: rank 1, exact [2;3;4]·[1 2 3], 9 vs 6 numbers', async ({ page, open }) => {
    await open('learn/rank');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Rank and factorization');
    await expect(page.getByTestId('rank-value')).toHaveText('1');
    await expect(page.getByTestId('rank-tol')).toContainText('1.34e-14');
    await expect(page.getByRole('img', { name: 'B = [2; 3; 4]' })).toBeVisible();
    await expect(page.getByRole('img', { name: 'A = [1 2 3]' })).toBeVisible();
    await expect(page.getByTestId('factor-error')).toContainText('0 (B·A reproduces W)');
    await expect(page.getByTestId('stored-count')).toContainText('m·n = 9');
    await expect(page.getByTestId('stored-count')).toContainText('r·(m+n) = 6');
    await expect(page.getByTestId('count-sentence')).toHaveText(
      'With r = 8 this 4,096×4,096 layer trains 65,536 numbers instead of 16,777,216: 0.39 %.',
    );
    await expect(page.getByTestId('small-count-sentence')).toHaveText(
      'Your 3×3 matrix at r = 1: 9 numbers against 6 in its factors, a small saving.',
    );
  });

  test('glossary words explain themselves on hover, on focus and on a tap; Escape hides them', async ({
    page,
    open,
  }) => {
    await open('learn/rank');
    const word = page.getByRole('button', { name: 'numerical rank' });
    const tip = page.getByRole('tooltip').filter({ hasText: 'numerical rank:' });
    await expect(tip).toBeHidden();
    await word.hover();
    await expect(tip).toBeVisible();
    await expect(word).toHaveAccessibleDescription(/How many singular values are above a small tolerance/);
    await page.getByRole('heading', { level: 1 }).hover();
    await expect(tip).toBeHidden();
    // Keyboard: focus shows it, Escape hides it.
    await word.focus();
    await expect(tip).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(tip).toBeHidden();
    // Touch has no hover: a tap (a click) pins it open until the next one.
    await page.getByRole('heading', { level: 1 }).focus();
    await word.click();
    await page.mouse.move(0, 0);
    await expect(tip).toBeVisible();
    await word.click();
    await page.mouse.move(0, 0);
    await expect(tip).toBeHidden();
    // On a phone the definition stays on screen.
    await page.setViewportSize({ width: 390, height: 844 });
    const cr = page.getByRole('button', { name: 'CR factorization' });
    await cr.click();
    const crTip = page.getByRole('tooltip').filter({ hasText: 'CR factorization:' });
    await expect(crTip).toBeVisible();
    const box = (await crTip.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
  });

  test('matrix cells grow with their numbers: nothing is clipped', async ({ page, open }) => {
    await open('learn/rank');
    await page.getByRole('textbox', { name: 'W row 1, column 1' }).fill('7.4815');
    await page.getByRole('textbox', { name: 'W row 2, column 3' }).fill('-12345.678');
    await page.getByRole('textbox', { name: 'W row 3, column 2' }).fill('0.000123');
    await page.getByRole('heading', { level: 1 }).click(); // blur: the boxes show the formatted values
    await expect(page.getByRole('textbox', { name: 'W row 1, column 1' })).toHaveValue('7.4815');
    expect(await clippedInputs(page, '.matrix-editor')).toEqual([]);
  });

  test('the small-matrix sentence follows the rank: at r = 2 the factors outgrow a 3×3 matrix', async ({
    page,
    open,
  }) => {
    await open('learn/rank', { r: '2', W: '2,4,6;3,6,9;4,8,13' });
    await expect(page.getByTestId('small-count-sentence')).toHaveText(
      'Your 3×3 matrix at r = 2: 9 numbers against 12 in its factors: the factors are bigger than the matrix; at this size only r ≤ 1 saves anything.',
    );
  });

  test('editing a cell raises the rank and a rank-1 factorization no longer reproduces W', async ({ page, open }) => {
    await open('learn/rank');
    const cell = page.getByRole('textbox', { name: 'W row 3, column 3' });
    await cell.fill('13');
    await expect(page.getByTestId('rank-value')).toHaveText('2');
    await expect(page.getByTestId('factor-error')).toContainText('outlined cells are wrong');
    await expect(page.getByText(/Not here: rank\(W\) = 2 > r = 1/)).toBeVisible();
    await expect(page).toHaveURL(/W=2%2C4%2C6%3B3%2C6%2C9%3B4%2C8%2C13|W=2,4,6;3,6,9;4,8,13/);
    // r = 2 makes it exact again.
    const r = page.getByRole('slider', { name: 'rank r of the factors' });
    await r.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('factor-error')).toContainText('B·A reproduces W');
    // Bad input: a clear message, the page keeps working.
    await cell.fill('abc');
    await expect(page.getByText('W row 3, column 3: “abc” is not a number')).toBeVisible();
    await expect(page.getByTestId('rank-value')).toHaveText('2');
  });

  test('sliders change the parameter sentence; outer products step; URL restores the view', async ({
    page,
    open,
  }, testInfo) => {
    await open('learn/rank', { W: '1,0;0,1', r: '2', term: '1', cm: '768', cn: '3072', cr: '16' });
    await expect(page.getByTestId('rank-value')).toHaveText('2');
    await expect(page.getByRole('status').filter({ hasText: 'terms added' })).toHaveText('1 of 2 terms added');
    mkdirSync('e2e/screenshots', { recursive: true });
    await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn-rank-terms.png`, fullPage: true });
    await expect(page.getByTestId('count-sentence')).toContainText(
      'With r = 16 this 768×3,072 layer trains 61,440 numbers instead of 2,359,296: 2.6 %',
    );
    await page.getByRole('button', { name: 'Next term' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'terms added' })).toHaveText('2 of 2 terms added');
    const rr = page.getByRole('slider', { name: 'adapter rank r' });
    await rr.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('count-sentence')).toContainText(
      'With r = 8 this 768×3,072 layer trains 30,720 numbers',
    );
    await page.getByRole('button', { name: 'Play: add the terms one by one' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'terms added' })).toHaveText('2 of 2 terms added', {
      timeout: 10_000,
    });
  });

  test('axe: no serious or critical violations; screenshots', async ({ page, open }, testInfo) => {
    await open('learn/rank');
    await expect(page.getByTestId('rank-value')).toHaveText('1');
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    mkdirSync('e2e/screenshots', { recursive: true });
    for (const [w, h] of [
      [1280, 800],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn-rank-${w}.png`, fullPage: true });
    }
  });
});
