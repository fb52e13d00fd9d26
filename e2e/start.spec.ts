import { expect, test } from './fixtures';

test('the learner path: answer, get feedback, keep progress across a reload', async ({ page, open }) => {
  await open('start');
  await expect(page.getByRole('heading', { name: 'Step 1: What is rank?' })).toBeVisible();
  await page.getByRole('radio', { name: '16,777,216' }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Not quite' })).toBeVisible();
  await page.getByRole('radio', { name: '65,536' }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Right.' })).toContainText('65,536');
  await expect(page.getByTestId('path-progress')).toHaveText('1 of 9 steps done.');
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page).toHaveURL(/#\/start\?step=2$/);
  await expect(page.getByRole('heading', { name: 'Step 2: Low-rank approximation' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Step 2: Low-rank approximation' })).toBeVisible();
  await expect(page.getByTestId('path-progress')).toHaveText('1 of 9 steps done.');
  await page.getByRole('link', { name: /Go to low-rank approximation/ }).click();
  await expect(page).toHaveURL(/#\/learn\/svd$/);
});
