import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

// A 20×12 grayscale PNG (two gradients), made with zlib so the test needs no asset file.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABQAAAAMCAAAAABHZ8InAAAAOUlEQVR4nGNg4JFQMbDxCEnIqWiZMGfFlgNnbjxhoJvg/8/Pb58/vH31/Mnt1fnJ4d72xurSdBMEALvNd4lmR2ZFAAAAAElFTkSuQmCC',
  'base64',
);

const num = async (page: import('@playwright/test').Page, id: string) =>
  Number((await page.getByTestId(id).textContent())?.replace(/[^0-9.e-]/g, ''));

test.describe('Learn: SVD', () => {
  test('the rank slider changes error and energy; error² equals the dropped σ²', async ({ page, open }) => {
    await open('learn/svd');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('SVD and low-rank approximation');
    const k = page.getByRole('slider', { name: 'rank k' });
    await expect(k).toHaveValue('3');
    const err3 = await num(page, 'svd-error');
    const energy3 = await num(page, 'svd-energy');
    expect(await num(page, 'svd-err2')).toBeCloseTo(await num(page, 'svd-dropped'), 3);
    await k.focus();
    await page.keyboard.press('ArrowRight');
    await expect(page).toHaveURL(/k=4/);
    await expect(page.getByTestId('svd-error')).not.toHaveText(String(err3));
    expect(await num(page, 'svd-error')).toBeLessThan(err3);
    expect(await num(page, 'svd-energy')).toBeGreaterThan(energy3);
    expect(await num(page, 'svd-err2')).toBeCloseTo(await num(page, 'svd-dropped'), 3);
  });

  test('a URL with state restores the view', async ({ page, open }) => {
    await open('learn/svd', { preset: 'image', k: '5', log: '1' });
    await expect(page.getByRole('radio', { name: 'Built-in picture (64×64)' })).toBeChecked();
    await expect(page.getByRole('slider', { name: 'rank k' })).toHaveValue('5');
    await expect(page.getByRole('checkbox', { name: 'log scale for σ' })).toBeChecked();
    await expect(page.getByRole('img', { name: /^W \(64×64\)/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Singular values, 64 in all, the first 5 kept/ })).toBeVisible();
  });

  test('the Rank page’s matrix opens here, with rank 1 visible in σ', async ({ page, open }) => {
    await open('learn/rank');
    await page.getByRole('link', { name: 'See this matrix’s SVD →' }).click();
    await expect(page.getByRole('radio', { name: 'The matrix from Rank' })).toBeChecked();
    await page.getByRole('slider', { name: 'rank k' }).fill('1');
    await expect(page.getByTestId('svd-energy')).toHaveText('100 %');
  });

  test('uploads: a picture is used, a bad file gets a clear message', async ({ page, open }) => {
    await open('learn/svd', { preset: 'upload' });
    await expect(page.getByText('Pick or drop an image above to decompose it.')).toBeVisible();
    const input = page.getByLabel('Pick an image, or drop one here:');
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await expect(page.getByRole('alert')).toContainText('“notes.txt” is not an image');
    await input.setInputFiles({ name: 'broken.png', mimeType: 'image/png', buffer: Buffer.from('not really a png') });
    await expect(page.getByRole('alert')).toContainText('“broken.png” could not be read as an image');
    await input.setInputFiles({ name: 'grad.png', mimeType: 'image/png', buffer: PNG });
    await expect(page.getByRole('img', { name: /^W \(12×20\)/ })).toBeVisible();
    await expect(page.getByRole('alert')).toHaveCount(0);
  });

  test('axe: no serious or critical violations; screenshots', async ({ page, open }, testInfo) => {
    await open('learn/svd', { preset: 'image', k: '8' });
    await expect(page.getByTestId('svd-energy')).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
    mkdirSync('e2e/screenshots', { recursive: true });
    for (const [w, h] of [
      [1280, 800],
      [1920, 1080],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn-svd-${w}.png`, fullPage: true });
    }
  });

  test('decomposes a real weight matrix of the shipped model', async ({ page, open }) => {
    await open('learn/svd', { preset: 'weight', layer: 'h0-v', k: '8' });
    await expect(page.getByRole('radio', { name: 'A weight matrix of the shipped tiny GPT-2' })).toBeChecked();
    await expect(page.getByRole('img', { name: /^W \(96×96\)/ })).toBeVisible();
    await expect(page.getByRole('img', { name: /^Singular values, 96 in all, the first 8 kept/ })).toBeVisible();
    const energy = await num(page, 'svd-energy');
    expect(energy).toBeGreaterThan((8 / 96) * 100); // the spectrum decays: the top 8 hold more than their share
    expect(energy).toBeLessThan(100);
    await page.getByLabel('layer').selectOption('h1-attn-proj');
    await expect(page).toHaveURL(/layer=h1-attn-proj/);
    await expect(page.getByRole('img', { name: /^W \(96×96\)/ })).toBeVisible();
  });
});
