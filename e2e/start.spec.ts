import { expect, test } from './fixtures';
import { PATH } from '../src/ui/sections/start/pathSteps';

test('the learner path: a hint before the answer, progress kept, links there and back', async ({ page, open }) => {
  await open('start');
  await expect(page.getByRole('heading', { name: 'Step 1: What is rank?' })).toBeVisible();
  const feedback = page.locator('.path-question [role="status"]');
  await page.getByRole('radio', { name: '16,777,216' }).check();
  await expect(feedback).toContainText('Not quite. Hint:');
  await expect(feedback, 'no answer on the first wrong try').not.toContainText('65,536');
  await page.getByRole('radio', { name: '4,104' }).check();
  await expect(feedback).toContainText('The answer is “65,536”');
  await page.getByRole('radio', { name: '65,536' }).check();
  await expect(page.getByRole('status').filter({ hasText: 'Right.' })).toContainText('65,536');
  await expect(page.getByTestId('path-progress')).toHaveText('1 of 9 steps done.');
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(page).toHaveURL(/#\/start\?step=2$/);
  await expect(page.getByRole('heading', { name: 'Step 2: Low-rank approximation' })).toBeVisible();
  // The answer on request, without a second wrong try.
  await page.getByRole('radio', { name: 'Any k rows of W' }).check();
  await page.getByRole('button', { name: 'Show the answer' }).click();
  await expect(feedback).toContainText('The answer is “The one from the top k singular values and vectors”');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Step 2: Low-rank approximation' })).toBeVisible();
  await expect(page.getByTestId('path-progress')).toHaveText('1 of 9 steps done.');
  await page.getByRole('link', { name: 'Try it on the SVD page →' }).click();
  await expect(page).toHaveURL(/#\/learn\/svd\?path=2$/);
  await page.getByRole('link', { name: /Back to step 2 of Start here/ }).click();
  await expect(page).toHaveURL(/#\/start\?step=2$/);

  // Train and download tick only when they happened: a right answer alone is not enough.
  await page.goto(page.url().replace(/step=2$/, 'step=8'));
  await page.getByRole('radio', { name: 'ΔW = s·B·A, and B has only r columns' }).check();
  await expect(page.getByTestId('path-action')).toContainText('ticks once you finish a LoRA run');
  await expect(page.getByTestId('path-progress')).toHaveText('1 of 9 steps done.');
});

test('at 9 of 9, a summary of what was learned and where to go next', async ({ page, open }) => {
  await open('start');
  const answers = Object.fromEntries(PATH.map((s) => [s.id, { answered: s.answer, correct: true }]));
  const done = { trained: { at: 1, detail: '30 LoRA steps on ISO dates' }, downloaded: { at: 2, detail: 'x.zip' } };
  await page.evaluate(
    `localStorage.setItem('lowrank.path.v1', ${JSON.stringify(JSON.stringify(answers))});` +
      `localStorage.setItem('lowrank.milestones.v1', ${JSON.stringify(JSON.stringify(done))})`,
  );
  await page.reload();
  await expect(page.getByTestId('path-progress')).toHaveText('9 of 9 steps done.');
  const summary = page.getByRole('region', { name: 'You finished the path' });
  await expect(summary).toContainText(PATH[0].learned);
  await expect(summary.getByRole('link', { name: /Swap, merge and mix adapters/ })).toHaveAttribute(
    'href',
    '#/adapters',
  );
  await page.getByRole('button', { name: 'Train a LoRA adapter (done)' }).click();
  await expect(page.getByTestId('path-action')).toContainText('Done in this browser: 30 LoRA steps on ISO dates.');
  await page.getByRole('button', { name: 'Reset progress' }).click();
  await expect(page.getByTestId('path-progress')).toHaveText('0 of 9 steps done.');
});
