import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { settingsFromScript } from '../src/engine/recipe/trainScript';
import { expect, test } from './fixtures';
import { HubStandIn, shardedTinyGpt2 } from './helpers/hubStandIn';
import { horizontalOverflow } from './helpers/overflow';
import { tinyLlamaFiles } from './helpers/tinyLlama';
import type { Page } from '@playwright/test';

const REPO = 'lowrank-test/tiny-gpt2';
const SHARD1 = 'model-00001-of-00002.safetensors';
const SHARD2 = 'model-00002-of-00002.safetensors';
const TRAIN = { task: 'names', steps: '4', batch: '4', seq: '16', r: '2' };

const baseModel = (page: Page) => page.getByRole('status', { name: 'Base model' });
const hubPanel = (page: Page) => page.getByRole('region', { name: 'Get a model from the Hugging Face Hub' });
const deviceRow = (page: Page, name: string) =>
  page.getByTestId('hub-device-list').getByRole('row', { name: new RegExp(name) });

/** The browser logs every 4xx answer as a console error; these tests expect some, and only those. */
function allowHttpErrors(errors: string[], statuses: number[]) {
  const expected = (e: string) => statuses.some((s) => e.includes(`the server responded with a status of ${s}`));
  const rest = errors.filter((e) => !expected(e));
  errors.splice(0, errors.length, ...rest);
}

async function lookUp(page: Page, repo: string) {
  await hubPanel(page).getByRole('textbox', { name: 'Model id' }).fill(repo);
  await hubPanel(page).getByRole('button', { name: 'Look up on huggingface.co' }).click();
}

async function shippedLoaded(page: Page) {
  await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/, { timeout: 60_000 });
}

/** The one file an Export button downloads, as bytes. */
async function downloadBytes(page: Page, button: string): Promise<Uint8Array> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return new Uint8Array(readFileSync((await download.path())!));
}

/** The one file an Export button downloads, as text. */
async function downloadText(page: Page, button: string): Promise<string> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return readFileSync((await download.path())!, 'utf8');
}

test.describe('models from the Hugging Face Hub (stand-in)', () => {
  // Network and storage, and real training: once, on the wasm project.
  test.skip(({ backend }) => backend !== 'wasm', 'once, on the wasm project');

  test('Train page: pick, progress, loaded, train, export names the repo; offline, the Adapters page loads it from storage', async ({
    page,
    context,
    open,
  }) => {
    const files = shardedTinyGpt2();
    const standIn = new HubStandIn();
    standIn.hub.add(REPO, { files });
    await standIn.install(page);
    await open('train', TRAIN);
    await shippedLoaded(page);
    await expect(hubPanel(page).getByRole('button', { name: 'Download openai-community/gpt2' })).toBeVisible();
    expect(standIn.seen, 'nothing is requested before a button is pressed').toEqual([]);

    await lookUp(page, REPO);
    const plan = page.getByTestId('hub-plan');
    await expect(plan).toContainText(
      'Fetches config.json, tokenizer.json, tokenizer_config.json, model.safetensors.index.json and 2 safetensors shards',
    );
    standIn.hold(SHARD1);
    await plan.getByRole('button', { name: /^Download/ }).click();
    await expect(page.getByRole('progressbar', { name: `Download of ${REPO}@main` })).toBeVisible();
    await expect(page.getByTestId('hub-progress-text')).toContainText(/KiB of [\d.]+ KiB/);
    standIn.release(SHARD1);
    await expect(page.getByRole('status').filter({ hasText: 'is stored on this device and ready' })).toBeVisible();
    // Loaded through the same loader as files from disk: the Base model setting is "own".
    await expect(baseModel(page)).toContainText(`${REPO}: 2 layers (GPT-2), width 32`);
    await expect(page).toHaveURL(/[?&]base=own/);
    await expect(page.getByTestId('memory-estimate')).toContainText('Loaded: it is now the base model for training.');
    // On a phone, with the stored model listed, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page), '#/train at 390 px with a Hub model stored').toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Finished: completed, 4 steps/ })).toBeVisible({
      timeout: 90_000,
    });
    const adapter = 'names-r2';
    // The run's recipe names the base by its Hub id instead of shipping its files.
    const [recipe] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download a PEFT + Accelerate recipe' }).click(),
    ]);
    const entries = unzipSync(new Uint8Array(readFileSync((await recipe.path())!)));
    const script = Object.keys(entries).find((k) => k.endsWith('/train_lora.py'))!;
    expect(settingsFromScript(strFromU8(entries[script])).base).toEqual({
      kind: 'hub',
      repo_id: REPO,
      revision: 'main',
    });
    expect(
      Object.keys(entries).some((k) => k.endsWith('.safetensors')),
      'no base files in the recipe',
    ).toBe(false);

    // Export on the Adapters page (same Worker, same base).
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Adapters', exact: true })
      .click();
    await expect(page.getByRole('status').filter({ hasText: `Base: ${REPO}` })).toBeVisible();
    const config = JSON.parse(await downloadText(page, 'adapter_config.json')) as Record<string, unknown>;
    expect(config.base_model_name_or_path).toBe(REPO);
    expect(config.revision).toBeNull();
    const readme = await downloadText(page, 'README.md');
    expect(readme).toContain(`base_model: "${REPO}"`);
    const line = `PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained("${REPO}"), "${adapter}")`;
    expect(readme).toContain(`model = ${line}`);
    await expect(page.getByRole('region', { name: 'Export' })).toContainText(
      `transformers downloads the base, ${REPO}, from the Hugging Face Hub`,
    );
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy the one-line loader' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Copied the Python.' })).toBeVisible();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(line);

    // Offline: the app from the service worker, the model from browser storage, on the Adapters page.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await page.reload();
    await expect.poll(() => page.evaluate('!!navigator.serviceWorker.controller')).toBe(true);
    await context.setOffline(true);
    const before = standIn.seen.length;
    await page.reload();
    await expect(page.getByRole('status').filter({ hasText: 'Base: lowrank-tiny' })).toBeVisible({ timeout: 60_000 });
    const stored = deviceRow(page, `${REPO}@main`);
    await expect(stored).toContainText('KiB');
    await expect(page.getByTestId('hub-quota')).toContainText('in the Origin Private File System');
    await stored.getByRole('button', { name: `Use ${REPO}@main` }).click();
    await expect(page.getByRole('status').filter({ hasText: `Base: ${REPO}` })).toBeVisible();
    await expect(page.getByText(`${REPO} is loaded: train an adapter on it`)).toBeVisible();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page), '#/adapters at 390 px with a Hub base').toBeLessThanOrEqual(0);
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(standIn.seen.length, 'no request to the Hub when using a stored model').toBe(before);
    await context.setOffline(false);
  });

  test('a Llama-family model from the Hub: loaded as Llama, trained, exported with PEFT names and the repo id', async ({
    page,
    open,
  }) => {
    const repo = 'lowrank-test/tiny-llama';
    const files = Object.fromEntries(tinyLlamaFiles(['--seed', '5']).map((f) => [basename(f), readFileSync(f)]));
    const standIn = new HubStandIn();
    standIn.hub.add(repo, { files });
    await standIn.install(page);
    await open('train', { ...TRAIN, steps: '2' });
    await shippedLoaded(page);
    await lookUp(page, repo);
    await page
      .getByTestId('hub-plan')
      .getByRole('button', { name: /^Download/ })
      .click();
    await expect(baseModel(page)).toContainText(`${repo}: 2 layers (Llama), width 32`, { timeout: 60_000 });
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect(page.getByRole('status').filter({ hasText: /^Finished: completed, 2 steps/ })).toBeVisible({
      timeout: 90_000,
    });
    await page
      .getByRole('navigation', { name: 'Sections' })
      .getByRole('link', { name: 'Adapters', exact: true })
      .click();
    await expect(page.getByRole('status').filter({ hasText: `Base: ${repo}` })).toBeVisible();
    const config = JSON.parse(await downloadText(page, 'adapter_config.json')) as Record<string, unknown>;
    expect(config.base_model_name_or_path).toBe(repo);
    expect(config.fan_in_fan_out).toBe(false);
    expect([...(config.target_modules as string[])].sort()).toEqual(['q_proj', 'v_proj']);
    const weights = await downloadBytes(page, 'adapter_model.safetensors');
    const headerLength = Number(new DataView(weights.buffer, weights.byteOffset).getBigUint64(0, true));
    const names = Object.keys(JSON.parse(new TextDecoder().decode(weights.subarray(8, 8 + headerLength))));
    expect(names).toContain('base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight');
    expect(names).toContain('base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight');
  });

  test('a truncated download says so and keeps the model loaded; cancel, reload and resume continue with Range', async ({
    page,
    open,
  }) => {
    const files = shardedTinyGpt2();
    const standIn = new HubStandIn();
    standIn.hub.add(REPO, { files });
    await standIn.install(page);
    await open('train', TRAIN);
    await shippedLoaded(page);
    const cut = Math.floor((files[SHARD2] as Uint8Array).byteLength / 2);
    standIn.cutOnce.set(SHARD2, cut);
    await lookUp(page, REPO);
    await page
      .getByTestId('hub-plan')
      .getByRole('button', { name: /^Download/ })
      .click();
    const alert = hubPanel(page).getByRole('alert');
    await expect(alert).toContainText(`The download of ${SHARD2} ended early`);
    await expect(alert).toContainText('What arrived is kept; Resume continues from there.');
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);

    standIn.hold(SHARD2);
    await alert.getByRole('button', { name: `Resume ${REPO}@main` }).click();
    await expect(hubPanel(page).getByRole('progressbar')).toBeVisible();
    await expect.poll(() => standIn.fileRequests(SHARD2).length).toBe(2);
    await hubPanel(page).getByRole('button', { name: 'Cancel' }).click();
    await expect(hubPanel(page).getByRole('alert')).toContainText('Download cancelled');
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);
    standIn.release(SHARD2);
    // A reload in between: the partial download is still listed, and Resume continues it.
    await page.reload();
    await shippedLoaded(page);
    const partial = deviceRow(page, `${REPO}@main`);
    await expect(partial).toContainText('(partial)');

    await partial.getByRole('button', { name: `Resume ${REPO}@main` }).click();
    await expect(page.getByRole('status').filter({ hasText: 'is stored on this device and ready' })).toBeVisible();
    expect(standIn.fileRequests(SHARD2).map((q) => q.range)).toEqual([null, `bytes=${cut}-`, `bytes=${cut}-`]);
    expect(standIn.fileRequests(SHARD1)).toHaveLength(1);
    // Every byte arrived intact: the joined shards load and the model is the one served.
    await expect(baseModel(page)).toContainText(`${REPO}: 2 layers (GPT-2), width 32`);
  });

  test('a missing repo, a gated repo (401), no safetensors and a 404 mid-download each get their own message; the model stays', async ({
    page,
    open,
    consoleErrors,
  }) => {
    const files = shardedTinyGpt2();
    const standIn = new HubStandIn();
    standIn.hub.add('lowrank-test/gated', { files, gated: 'manual' });
    standIn.hub.add('lowrank-test/pickles', {
      files: { 'config.json': files['config.json'], 'pytorch_model.bin': 'x' },
    });
    await standIn.install(page);
    await open('train', TRAIN);
    await shippedLoaded(page);

    await lookUp(page, 'nobody/no-such-model');
    const alert = hubPanel(page).getByRole('alert');
    await expect(alert).toContainText(
      'No public model nobody/no-such-model on the Hugging Face Hub: check the id, or it is private or gated.',
    );
    await lookUp(page, 'lowrank-test/gated');
    await expect(alert).toContainText('lowrank-test/gated is a gated model');
    await expect(alert).toContainText('This app sends no Hugging Face token');
    expect(standIn.seen.find((q) => q.url.includes('/lowrank-test/gated/resolve/'))).toBeTruthy();
    await lookUp(page, 'lowrank-test/pickles');
    await expect(alert).toContainText('has only PyTorch .bin weights, no safetensors');
    await expect(page.getByTestId('hub-device-list')).toHaveCount(0);

    // A file the listing names but the Hub answers 404 for, mid-download.
    standIn.hub.add('lowrank-test/vanishing', { files });
    await page.route('https://huggingface.co/lowrank-test/vanishing/resolve/*/tokenizer.json', (route) =>
      route.fulfill({
        status: 404,
        headers: {
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Expose-Headers': 'X-Error-Code',
          'X-Error-Code': 'EntryNotFound',
          'Content-Type': 'application/json',
        },
        body: '{"error":"Entry not found"}',
      }),
    );
    await lookUp(page, 'lowrank-test/vanishing');
    await page
      .getByTestId('hub-plan')
      .getByRole('button', { name: /^Download/ })
      .click();
    await expect(alert).toContainText('lowrank-test/vanishing at main has no file tokenizer.json.');
    await expect(baseModel(page)).toContainText(/lowrank-tiny: \d+ layers/);
    allowHttpErrors(consoleErrors, [401, 404]);
  });
});
