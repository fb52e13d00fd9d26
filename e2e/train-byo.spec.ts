import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { standInForShippedModel, tinyCheckpoint } from './helpers/tinyGpt2';

test.use({ serviceWorkers: 'block' });

const FILES = ['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'];
const baseModel = (page: import('@playwright/test').Page) => page.getByRole('status', { name: 'Base model' });

/** A copy of the tiny checkpoint with one file replaced. */
function broken(edit: (dir: string) => void): string[] {
  const src = tinyCheckpoint({ layers: 1, embd: 16, heads: 2, positions: 16, seed: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'lowrank-broken-'));
  for (const f of FILES) copyFileSync(join(src, f), join(dir, f));
  edit(dir);
  return FILES.map((f) => join(dir, f));
}

test.describe('bring your own GPT-2', () => {
  test('a generated tiny checkpoint loads from files, shows its memory estimate and trains', async ({
    page,
    open,
    backend,
  }) => {
    test.skip(backend !== 'wasm', 'wasm');
    await standInForShippedModel(page);
    await open('train', { task: 'names', steps: '8', batch: '4', seq: '16', r: '2' });
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });

    const dir = tinyCheckpoint({ layers: 2, embd: 32, heads: 2, positions: 32, seed: 5 });
    await page.getByLabel('Checkpoint files').setInputFiles(FILES.map((f) => join(dir, f)));
    await expect(page.getByTestId('memory-estimate')).toContainText('2 layers, n_embd 32');
    await expect(page.getByTestId('memory-estimate')).toContainText(/[\d,]+ parameters/);
    await expect(baseModel(page)).toContainText(/my-gpt2: 2 layers/);
    await expect(page).toHaveURL(/[?&]base=own/);
    await expect(page.getByRole('combobox', { name: 'Base model' })).toHaveValue('own');

    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Finished: completed/ })).toBeVisible({ timeout: 90_000 });
    const summary = page.getByTestId('validation-summary');
    expect(Number(await summary.getAttribute('data-now'))).toBeLessThan(
      Number(await summary.getAttribute('data-base')),
    );

    // Back to the shipped model with the Base model setting.
    await page.getByRole('combobox', { name: 'Base model' }).selectOption('tiny');
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });
  });

  test('a malformed checkpoint gives a clear message and the previous model still samples', async ({
    page,
    open,
    backend,
  }) => {
    test.skip(backend !== 'wasm', 'wasm');
    await standInForShippedModel(page);
    await open('train', { task: 'dates' });
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });

    const truncated = broken((d) => {
      const bytes = readFileSync(join(d, 'model.safetensors'));
      writeFileSync(join(d, 'model.safetensors'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    });
    await page.getByLabel('Checkpoint files').setInputFiles(truncated);
    await expect(
      page
        .getByRole('alert')
        .filter({ hasText: /Could not load my-gpt2: .*safetensors|Could not load my-gpt2: .*(bytes|offset|end)/i }),
    ).toBeVisible();
    await expect(
      page.getByRole('alert').filter({ hasText: 'The previous model (lowrank-tiny) is still loaded and usable.' }),
    ).toBeVisible();
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);

    const wrongWidth = broken((d) => {
      const config = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config, n_embd: 24 }));
    });
    await page.getByLabel('Checkpoint files').setInputFiles(wrongWidth);
    await expect(page.getByRole('alert').filter({ hasText: /Could not load my-gpt2: .*shape/i })).toBeVisible();

    // Files given in the wrong place are named for what they are (issue 12).
    const pointer = broken((d) =>
      writeFileSync(
        join(d, 'model.safetensors'),
        'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a2146\nsize 548105171\n',
      ),
    );
    await page.getByLabel('Checkpoint files').setInputFiles(pointer);
    await expect(page.getByRole('alert').filter({ hasText: /this is a Git LFS pointer .*git lfs pull/ })).toBeVisible();
    const absurd = broken((d) => {
      const config = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...config, n_layer: 1e15 }));
    });
    await page.getByLabel('Checkpoint files').setInputFiles(absurd);
    await expect(
      page.getByRole('alert').filter({ hasText: /"n_layer" is 1000000000000000, but at most 1,024/ }),
    ).toBeVisible();
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);

    const missing = broken(() => undefined).filter((f) => !f.endsWith('tokenizer.json'));
    await page.getByLabel('Checkpoint files').setInputFiles(missing);
    await expect(page.getByRole('alert').filter({ hasText: 'Missing tokenizer.json' })).toBeVisible();

    await page.getByLabel('Checkpoint files').setInputFiles(wrongWidth);
    await expect(page.getByRole('alert').filter({ hasText: /Could not load my-gpt2/ })).toBeVisible();
    mkdirSync('e2e/screenshots', { recursive: true });
    await page.getByRole('heading', { name: 'Load your own GPT-2' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'e2e/screenshots/train-byo-error-1280.png' });
    await page.getByRole('button', { name: 'Generate samples' }).click();
    await expect(page.getByTestId('samples-table').locator('tbody tr')).toHaveCount(4);
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);
  });
});
