import { expect, test } from './fixtures';
import { HubStandIn, sha256, shardedTinyGpt2 } from './helpers/hubStandIn';
import { horizontalOverflow } from './helpers/overflow';
import type { Page } from '@playwright/test';

const REPO = 'lowrank-test/tiny-gpt2';
const SHARD1 = 'model-00001-of-00002.safetensors';
const SHARD2 = 'model-00002-of-00002.safetensors';

/** What the page lists for a ready model: one "name size bytes (…) sha256 hex" line per file. */
function expectedLines(files: Record<string, Uint8Array | string>): string[] {
  const order = [
    'config.json',
    'tokenizer.json',
    'tokenizer_config.json',
    'model.safetensors.index.json',
    SHARD1,
    SHARD2,
  ];
  return order.map((name) => {
    const v = files[name];
    const size = typeof v === 'string' ? new TextEncoder().encode(v).byteLength : v.byteLength;
    return `${name} ${size} bytes`;
  });
}

async function readyLines(page: Page): Promise<string[]> {
  return (await page.getByTestId('hub-ready').getByRole('listitem').allTextContents()).map((t) => t.trim());
}

async function expectByteIdentical(page: Page, files: Record<string, Uint8Array | string>) {
  await expect(page.getByTestId('hub-ready').getByRole('listitem')).toHaveCount(6);
  const lines = await readyLines(page);
  const expected = expectedLines(files);
  for (let i = 0; i < expected.length; i++) {
    const name = expected[i].split(' ')[0];
    expect(lines[i]).toContain(expected[i]);
    expect(lines[i]).toContain(`sha256 ${sha256(files[name])}`);
  }
}

/** The browser logs every 4xx answer as a console error; these tests expect some, and only those. */
function allowHttpErrors(errors: string[], statuses: number[]) {
  const expected = (e: string) => statuses.some((s) => e.includes(`the server responded with a status of ${s}`));
  const rest = errors.filter((e) => !expected(e));
  errors.splice(0, errors.length, ...rest);
}

async function lookUp(page: Page, repo: string) {
  await page.getByRole('textbox', { name: 'Model id' }).fill(repo);
  await page.getByRole('button', { name: 'Look up on huggingface.co' }).click();
}

test.describe('models from the Hugging Face Hub (stand-in)', () => {
  // Network and storage only, nothing that depends on the backend: run once, on the wasm project.
  test.skip(({ backend }) => backend !== 'wasm', 'once, on the wasm project');
  test('pick, progress, stored; after a reload, offline, still listed and byte-identical', async ({
    page,
    context,
    open,
  }) => {
    const files = shardedTinyGpt2();
    const standIn = new HubStandIn();
    standIn.hub.add(REPO, { files });
    await standIn.install(page);
    await open('hub');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hub models');
    await expect(page.getByRole('button', { name: 'Download openai-community/gpt2' })).toBeVisible();
    expect(standIn.seen, 'nothing is requested before a button is pressed').toEqual([]);

    await lookUp(page, REPO);
    const plan = page.getByTestId('hub-plan');
    await expect(plan).toContainText(
      'Fetches config.json, tokenizer.json, tokenizer_config.json, model.safetensors.index.json and 2 safetensors shards',
    );
    await expect(plan).toContainText('from huggingface.co');
    standIn.hold(SHARD1);
    await plan.getByRole('button', { name: /^Download/ }).click();
    await expect(page.getByRole('progressbar', { name: `Download of ${REPO}@main` })).toBeVisible();
    standIn.release(SHARD1);
    await expect(page.getByRole('status').filter({ hasText: 'is stored on this device and ready' })).toBeVisible();
    await expectByteIdentical(page, files);
    const row = page.getByTestId('hub-device-list').getByRole('row', { name: new RegExp(`${REPO}@main`) });
    await expect(row).toContainText('KiB');
    await expect(row.getByRole('button', { name: `Use ${REPO}@main` })).toBeVisible();
    await expect(page.getByTestId('hub-quota')).toContainText('in the Origin Private File System');
    // On a phone, with the plan, the stored model and its SHA-256 lines shown, nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await horizontalOverflow(page), '#/hub at 390 px with a stored model').toBeLessThanOrEqual(0);
    await page.screenshot({ path: 'e2e/screenshots/hub-stored-390.png', fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });

    // Offline: the app from the service worker, the model from browser storage.
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await page.reload();
    await expect.poll(() => page.evaluate('!!navigator.serviceWorker.controller')).toBe(true);
    await context.setOffline(true);
    const before = standIn.seen.length;
    await page.reload();
    const stored = page.getByTestId('hub-device-list').getByRole('row', { name: new RegExp(`${REPO}@main`) });
    await expect(stored).toBeVisible();
    await stored.getByRole('button', { name: `Use ${REPO}@main` }).click();
    await expectByteIdentical(page, files);
    expect(standIn.seen.length, 'no request to the Hub when using a stored model').toBe(before);
    await context.setOffline(false);
  });

  test('a truncated download says so; cancel, reload and resume continue from the stored offset with Range', async ({
    page,
    open,
  }) => {
    const files = shardedTinyGpt2();
    const standIn = new HubStandIn();
    standIn.hub.add(REPO, { files });
    await standIn.install(page);
    await open('hub');
    const cut = Math.floor((files[SHARD2] as Uint8Array).byteLength / 2);
    standIn.cutOnce.set(SHARD2, cut);
    await lookUp(page, REPO);
    await page
      .getByTestId('hub-plan')
      .getByRole('button', { name: /^Download/ })
      .click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(`The download of ${SHARD2} ended early`);
    await expect(alert).toContainText('What arrived is kept; Resume continues from there.');

    standIn.hold(SHARD2);
    await alert.getByRole('button', { name: `Resume ${REPO}@main` }).click();
    await expect(page.getByRole('progressbar')).toBeVisible();
    await expect.poll(() => standIn.fileRequests(SHARD2).length).toBe(2);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByRole('alert')).toContainText('Download cancelled');
    standIn.release(SHARD2);
    // A reload in between: the partial download is still listed, and Resume continues it.
    await page.reload();
    const partial = page.getByTestId('hub-device-list').getByRole('row', { name: new RegExp(`${REPO}@main`) });
    await expect(partial).toContainText('(partial)');

    await partial.getByRole('button', { name: `Resume ${REPO}@main` }).click();
    await expect(page.getByRole('status').filter({ hasText: 'is stored on this device and ready' })).toBeVisible();
    expect(standIn.fileRequests(SHARD2).map((q) => q.range)).toEqual([null, `bytes=${cut}-`, `bytes=${cut}-`]);
    expect(standIn.fileRequests(SHARD1)).toHaveLength(1);
    await expectByteIdentical(page, files);
  });

  test('a missing repo, a gated repo and a repo without safetensors each get their own message', async ({
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
    await open('hub');

    await lookUp(page, 'nobody/no-such-model');
    await expect(page.getByRole('alert')).toContainText(
      'No public model nobody/no-such-model on the Hugging Face Hub: check the id, or it is private or gated.',
    );
    await lookUp(page, 'lowrank-test/gated');
    await expect(page.getByRole('alert')).toContainText('lowrank-test/gated is a gated model');
    await expect(page.getByRole('alert')).toContainText('This app sends no Hugging Face token');
    expect(standIn.seen.find((q) => q.url.includes('/lowrank-test/gated/resolve/'))).toBeTruthy();
    await lookUp(page, 'lowrank-test/pickles');
    await expect(page.getByRole('alert')).toContainText('has only PyTorch .bin weights, no safetensors');
    await expect(page.getByTestId('hub-device-list')).toHaveCount(0);
    allowHttpErrors(consoleErrors, [401]);
  });
});
