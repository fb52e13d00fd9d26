import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expect, test } from './fixtures';

const line = (page: import('@playwright/test').Page) => page.getByTestId('peft-line');

test.describe('Learn: parameters', () => {
  test('GPT-2 default prints PEFT’s exact line; r slider and targets change it', async ({ page, open }) => {
    await open('learn/params');
    await expect(line(page)).toHaveText('trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364');
    const r = page.getByRole('slider', { name: 'rank r' });
    await r.focus();
    await page.keyboard.press('ArrowRight'); // r = 9
    await expect(line(page)).toHaveText(/trainable params: 331,776 \|\|/);
    await expect(page).toHaveURL(/r=9/);
    await page.getByRole('checkbox', { name: /c_proj/ }).check();
    // c_proj hits attn.c_proj AND mlp.c_proj: 12·9·(1536 + 3840) = 580,608 more
    await expect(line(page)).toHaveText(/trainable params: 912,384 \|\|/);
  });

  test('BLOOM-3B reproduces PEFT’s numbers; URL restores the view', async ({ page, open }) => {
    await open('learn/params', { model: 'bloom-3b', r: '8', prec: 'mixed' });
    await expect(line(page)).toHaveText(
      'trainable params: 2,457,600 || all params: 3,005,015,040 || trainable%: 0.0818',
    );
    await expect(page.getByRole('radio', { name: /mixed/ })).toBeChecked();
    await expect(page.getByRole('combobox', { name: 'model' })).toHaveValue('bloom-3b');
    await page.reload();
    await expect(line(page)).toHaveText(/2,457,600/);
  });

  test('Llama-2-7B and a pasted config with a clear error', async ({ page, open }) => {
    await open('learn/params', { model: 'Llama-2-7b' });
    await expect(page.getByTestId('base-params')).toHaveText('6,738,415,616');
    await page.getByRole('combobox', { name: 'model' }).selectOption('custom');
    const box = page.getByRole('textbox', { name: /config.json/ });
    await box.fill('{"model_type": "gpt2", "vocab_size": 50257, "n_positions": 1024, "n_layer": 12, "n_head": 12}');
    await page.getByRole('button', { name: 'Use this config' }).click();
    await expect(page.getByRole('alert')).toContainText('"n_embd" is missing');
    await box.fill(
      '{"model_type": "gpt2", "vocab_size": 50257, "n_positions": 1024, "n_embd": 768, "n_layer": 12, "n_head": 12}',
    );
    await page.getByRole('button', { name: 'Use this config' }).click();
    await expect(line(page)).toHaveText(/trainable params: 294,912 \|\| all params: 124,734,720/);
    await page.reload();
    await expect(line(page)).toHaveText(/124,734,720/);
  });

  test('memory and checkpoints; no serious a11y violations; screenshots', async ({ page, open }, testInfo) => {
    await open('learn/params');
    await expect(page.getByTestId('ckpt-adapter')).toHaveText('1.13 MiB');
    await expect(page.getByTestId('ckpt-full')).toHaveText('475 MiB');
    await expect(page.getByTestId('mem-full-total')).toHaveText('1.85 GiB');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    mkdirSync('e2e/screenshots', { recursive: true });
    await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn4-params-1280.png`, fullPage: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.screenshot({ path: `e2e/screenshots/${testInfo.project.name}-learn4-params-1920.png`, fullPage: true });
  });
});
