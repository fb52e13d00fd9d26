/**
 * Adapters page, files: import generated PEFT adapters (zip, two files), reject malformed ones with
 * a specific message and no change to the list, and export → reload → import giving the same
 * samples. Exported files are checked with a minimal safetensors parser written here.
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { adapterFiles, adapterZip, routeTestModel } from './helpers/adapterFixtures';
import { horizontalOverflow } from './helpers/overflow';

test.use({ serviceWorkers: 'block' }); // page.route must see the model fetches

/** Samples per side in a comparison: SwiftShader's WebGPU generates slowly, so one there. */
let samplesPerSide = 4;
test.beforeEach(({ backend }) => {
  samplesPerSide = backend === 'webgpu' ? 1 : 4;
  test.slow(backend === 'webgpu');
});

async function openAdapters(page: Page, open: (route: string) => Promise<void>): Promise<void> {
  await routeTestModel(page);
  await open('adapters');
  await expect(page.getByRole('status').filter({ hasText: 'Base:' })).toContainText('lowrank-tiny', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('storage-use')).toBeVisible();
}

const rows = (page: Page) => page.getByRole('table', { name: 'Adapters on the loaded base model' }).locator('tbody tr');
const rowNames = async (page: Page) =>
  (await rows(page).locator('td.name-cell').allTextContents()).map((t) => t.trim());

async function pick(page: Page, files: Record<string, Buffer>): Promise<void> {
  await page
    .getByLabel('Choose adapter files (.zip or the two files)')
    .setInputFiles(
      Object.entries(files).map(([name, buffer]) => ({ name, mimeType: 'application/octet-stream', buffer })),
    );
}

async function importOk(page: Page, files: Record<string, Buffer>, name: string): Promise<void> {
  await pick(page, files);
  await expect(page.getByRole('status').filter({ hasText: 'Imported' })).toContainText(`Imported ${name}`);
  await expect(page.getByTestId(`adapter-row-${name}`)).toBeVisible();
}

async function compare(page: Page, left: string, right: string): Promise<[string[], string[]]> {
  await page.getByLabel('left', { exact: true }).selectOption(left);
  await page.getByLabel('right', { exact: true }).selectOption(right);
  await page.getByLabel('samples', { exact: true }).fill(String(samplesPerSide));
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const result = page.getByTestId('compare-result');
  await expect(result).toBeVisible();
  // SwiftShader's WebGPU samples slowly: allow it time (the wasm project finishes in about a second).
  await expect(page.getByRole('button', { name: 'Compare', exact: true })).toBeEnabled({ timeout: 120_000 });
  const read = (label: string) =>
    result
      .getByRole('list', { name: `samples from ${label}` })
      .getByRole('listitem')
      .allTextContents();
  return [
    await read(left === '~base' ? 'base model only' : left),
    await read(right === '~base' ? 'base model only' : right),
  ];
}

/** Independent of the product's reader: [u64 LE n][n bytes JSON header][data]. */
function parseSafetensorsHeader(
  bytes: Uint8Array,
): Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] } | Record<string, string>> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

test.describe('Adapters page: files', () => {
  test('a truncated zip, a wrong-model adapter and a pickle are refused with a specific message; the list stays', async ({
    page,
    open,
  }) => {
    await openAdapters(page, open);
    await importOk(page, { 'good-peft-adapter.zip': adapterZip(1) }, 'good');
    const before = await rowNames(page);

    const zip = adapterZip(2);
    await pick(page, { 'broken.zip': zip.subarray(0, Math.floor(zip.length * 0.6)) });
    await expect(page.getByRole('alert').filter({ hasText: 'Import failed' })).toContainText('Invalid zip archive');
    expect(await rowNames(page)).toEqual(before);

    await pick(page, { 'wide-peft-adapter.zip': adapterZip(3, {}, 8) });
    const alert = page.getByRole('alert').filter({ hasText: 'Import failed' });
    await expect(alert).toContainText(
      'lora_B is [24, 4], base expects [96, 4] — this adapter was trained for a different model',
    );
    expect(await rowNames(page)).toEqual(before);

    await pick(page, { 'adapter_model.bin': Buffer.from('not read') });
    await expect(alert).toContainText('adapter_model.bin is a PyTorch pickle: convert to safetensors');
    expect(await rowNames(page)).toEqual(before);

    // The adapter that was there still works: the merge check runs on it.
    await page.getByRole('button', { name: /^Merge good into W/ }).click();
    await expect(page.getByTestId('merge-result')).toContainText('merged');
  });

  test('the two separate files import too (targets c_attn and c_proj)', async ({ page, open }) => {
    await openAdapters(page, open);
    const files = adapterFiles(4, { target_modules: ['c_attn', 'c_proj'] });
    await importOk(
      page,
      {
        'adapter_model.safetensors': files['adapter_model.safetensors'],
        'adapter_config.json': files['adapter_config.json'],
      },
      'imported',
    );
    await expect(page.getByTestId('adapter-row-imported')).toContainText('c_attn, c_proj');
    await expect(page.getByTestId('adapter-row-imported')).toContainText('(6 layers)');
  });

  test('export → reload → import gives the same samples, and the exported files are PEFT’s', async ({ page, open }) => {
    await openAdapters(page, open);
    await importOk(page, { 'names-peft-adapter.zip': adapterZip(5) }, 'names');
    const [before] = await compare(page, 'names', '~base');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download names-peft-adapter.zip' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('names-peft-adapter.zip');
    const zipBytes = readFileSync((await download.path())!);
    const entries = unzipSync(new Uint8Array(zipBytes));
    expect(Object.keys(entries).sort()).toEqual([
      'names/README.md',
      'names/adapter_config.json',
      'names/adapter_model.safetensors',
    ]);
    const header = parseSafetensorsHeader(entries['names/adapter_model.safetensors']);
    expect(header.__metadata__).toEqual({ format: 'pt' });
    expect(header['base_model.model.transformer.h.0.attn.c_attn.lora_A.weight']).toMatchObject({
      dtype: 'F32',
      shape: [4, 32],
    });
    expect(header['base_model.model.transformer.h.1.attn.c_attn.lora_B.weight']).toMatchObject({
      dtype: 'F32',
      shape: [96, 4],
    });
    const config = JSON.parse(new TextDecoder().decode(entries['names/adapter_config.json']));
    expect(config).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      lora_alpha: 8,
      fan_in_fan_out: true,
      // The shipped base is not on the Hub: PEFT finds it in the folder "Export base model" writes.
      base_model_name_or_path: 'lowrank-tiny-base',
    });
    const readme = new TextDecoder().decode(entries['names/README.md']);
    expect(readme).toContain('base = AutoModelForCausalLM.from_pretrained("lowrank-tiny-base")');
    expect(readme).toContain('model = PeftModel.from_pretrained(base, "names")');
    await expect(page.getByLabel('Python to load the adapter')).toContainText(
      'PeftModel.from_pretrained(base, "names")',
    );

    const [single] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'adapter_config.json' }).click(),
    ]);
    expect(single.suggestedFilename()).toBe('adapter_config.json');

    // Forget it (here and in storage), reload, bring it back from the downloaded zip.
    await page.getByRole('button', { name: 'Delete names' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(rows(page)).toHaveCount(0);
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: 'Base:' })).toContainText('lowrank-tiny', {
      timeout: 60_000,
    });
    await expect(page.getByText('No adapters yet.')).toBeVisible();
    await importOk(page, { 'names-peft-adapter.zip': zipBytes }, 'names');
    const [after] = await compare(page, 'names', '~base');
    expect(after).toEqual(before);
  });

  test('base + adapter in one zip that PEFT loads as is, and the Python on the clipboard', async ({ page, open }) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await openAdapters(page, open);
    await importOk(page, { 'names-peft-adapter.zip': adapterZip(7) }, 'names');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download base + adapter together (names-with-base.zip)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('names-with-base.zip');
    const entries = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
    expect(Object.keys(entries).sort()).toEqual([
      'lowrank-tiny-base/config.json',
      'lowrank-tiny-base/model.safetensors',
      'lowrank-tiny-base/tokenizer.json',
      'names/README.md',
      'names/adapter_config.json',
      'names/adapter_model.safetensors',
    ]);
    // The README's folders are the zip's folders.
    const readme = new TextDecoder().decode(entries['names/README.md']);
    expect(readme).toContain('AutoModelForCausalLM.from_pretrained("lowrank-tiny-base")');
    expect(readme).toContain('tokenizer_file="lowrank-tiny-base/tokenizer.json"');
    expect(readme).toContain('PeftModel.from_pretrained(base, "names")');
    const config = JSON.parse(new TextDecoder().decode(entries['lowrank-tiny-base/config.json']));
    expect(config.eos_token_id).toBeLessThan(config.vocab_size); // generate stops at end-of-text

    await page.getByRole('button', { name: 'Copy the Python' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied the Python.' })).toBeVisible();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(readme).toContain(copied.trimEnd());
    expect(copied).toContain('PeftModel.from_pretrained(base, "names")');
    // The adapter list and the Export panel (its buttons, the Python) fit a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page), 'the adapter list and the Export panel at 390 px').toBeLessThanOrEqual(0);
    await page.getByRole('heading', { name: 'Export' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'e2e/screenshots/adapters-export-390.png', fullPage: true });
  });

  test('export base and merged model as Hugging Face GPT-2 files', async ({ page, open }) => {
    await openAdapters(page, open);
    await importOk(page, { 'names-peft-adapter.zip': adapterZip(6) }, 'names');
    const [base] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export base model' }).click(),
    ]);
    expect(base.suggestedFilename()).toBe('lowrank-tiny-base.zip');
    const baseFiles = unzipSync(new Uint8Array(readFileSync((await base.path())!)));
    expect(Object.keys(baseFiles).sort()).toEqual([
      'lowrank-tiny-base/config.json',
      'lowrank-tiny-base/model.safetensors',
      'lowrank-tiny-base/tokenizer.json',
    ]);
    const [merged] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /^Export merged model/ }).click(),
    ]);
    expect(merged.suggestedFilename()).toBe('lowrank-tiny-merged-names.zip');
    const mergedFiles = unzipSync(new Uint8Array(readFileSync((await merged.path())!)));
    const w = (files: Record<string, Uint8Array>, folder: string) => {
      const bytes = files[`${folder}/model.safetensors`];
      const h = parseSafetensorsHeader(bytes) as Record<string, { data_offsets: [number, number] }>;
      const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
      const [s, e] = h['transformer.h.0.attn.c_attn.weight'].data_offsets;
      return new Float32Array(bytes.slice(8 + n + s, 8 + n + e).buffer);
    };
    const w0 = w(baseFiles, 'lowrank-tiny-base');
    const w1 = w(mergedFiles, 'lowrank-tiny-merged-names');
    expect(w1.length).toBe(w0.length);
    expect(w1.some((v, i) => Math.abs(v - w0[i]) > 1e-3)).toBe(true); // ΔW folded in
    // The live model was left unmerged.
    await expect(page.getByTestId('adapter-row-names')).toContainText('active');
  });
});
