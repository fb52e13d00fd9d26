import { existsSync } from 'node:fs';
import { expect, test } from './fixtures';

type Ev = {
  type: string;
  step?: number;
  loss?: number;
  from?: string;
  to?: string;
  backend?: string;
  restoredMaxAbsDiff?: number | null;
  message?: string;
  reason?: string;
};
type Report = {
  model: string;
  shipped: boolean;
  events: Ev[];
  outcome: string;
  steps: number;
  finalValidationLoss: number;
  baseValidationLoss: number;
  resultBackend: string;
  deviceLosses: { step: number; from: string; to: string }[];
  adapters: { name: string; active: boolean; params: number }[];
  finiteWeights: boolean;
  backendAfter: string | null;
  idle: { events: Ev[]; adapters: string[]; maxAbsDiff: number | null; nll: number; backend: string | null };
};

// The WebGPU device is destroyed (as a driver reset would) three steps into a LoRA run in the
// training Worker: the run must move to webgl or wasm and finish with the adapter intact.
test('a lost WebGPU device mid-run: falls back, restores the adapter, completes every step', async ({
  page,
  backend,
  consoleErrors,
}) => {
  test.skip(backend !== 'webgpu', 'device loss is a WebGPU matter');
  test.setTimeout(300_000);
  void consoleErrors; // fails the test on any console or page error
  // The shipped tiny model when this build has one, else a random tiny GPT-2 made in the page.
  const model = ['config.json', 'model.safetensors', 'tokenizer.json'].every((f) =>
    existsSync(`${process.env.PW_DIST ?? 'dist'}/models/tiny/${f}`),
  )
    ? 'shipped'
    : 'random';
  await page.goto(`./src/bench/bench.html?deviceloss=1&lossAfter=3&steps=12&model=${model}`);
  // (waitForFunction compiles its predicate with eval, which the app's CSP forbids)
  await expect.poll(() => page.evaluate('!!window.__bench'), { timeout: 280_000, intervals: [1000] }).toBe(true);
  const res = (await page.evaluate('window.__bench')) as { ok: boolean; error?: string; result?: Report };
  expect(res.error).toBeUndefined();
  const r = res.result!;
  const lostAt = r.events.findIndex((e) => e.type === 'deviceLost');
  const recAt = r.events.findIndex((e) => e.type === 'recovered');
  const lost = r.events[lostAt];
  const rec = r.events[recAt];
  console.log(
    `${r.model}: ${lost?.reason} at step ${lost?.step}; ${lost?.from} → ${lost?.to}; resumed at step ${rec?.step} (restored adapter max |Δ| ${rec?.restoredMaxAbsDiff})`,
  );
  expect(lostAt).toBeGreaterThan(0);
  expect(lost.from).toBe('webgpu');
  expect(['webgl', 'wasm']).toContain(lost.to);
  expect(recAt).toBeGreaterThan(lostAt);
  expect(rec.backend).toBe(lost.to);
  expect(rec.restoredMaxAbsDiff).toBe(0); // the adapter read back on the new backend is the snapshot
  expect(rec.step).toBeGreaterThanOrEqual(2); // snapshots every 2 steps: at most the steps since are redone
  expect(rec.step).toBeLessThanOrEqual(lost.step!);
  expect(r.outcome).toBe('completed');
  expect(r.steps).toBe(12);
  const after = r.events.slice(recAt + 1).filter((e) => e.type === 'step');
  expect(after[0].step).toBe(rec.step! + 1);
  expect(after[after.length - 1].step).toBe(12);
  expect(after.every((e) => Number.isFinite(e.loss))).toBe(true);
  expect(Number.isFinite(r.finalValidationLoss)).toBe(true);
  expect(r.resultBackend).toBe(lost.to);
  expect(r.backendAfter).toBe(lost.to);
  expect(r.deviceLosses).toHaveLength(1);
  expect(r.adapters.map((a) => a.name)).toEqual(['dates']);
  expect(r.adapters[0].active).toBe(true);
  expect(r.finiteWeights).toBe(true);

  // Then a second Worker holding that adapter loses its device while idle: it reloads by itself.
  const idle = r.idle;
  console.log(
    `idle: ${idle.events.map((e) => (e.type === 'deviceLost' ? `lost (${e.from} → ${e.to})` : `recovered on ${e.backend}`)).join(', ')}; adapter max |Δ| ${idle.maxAbsDiff}; nll ${idle.nll.toFixed(3)}`,
  );
  expect(idle.events.map((e) => e.type)).toEqual(['deviceLost', 'recovered']);
  expect(idle.events[0].from).toBe('webgpu');
  expect(idle.backend).toBe(idle.events[0].to);
  expect(idle.adapters).toEqual(['dates']);
  expect(idle.maxAbsDiff).toBe(0);
  expect(Number.isFinite(idle.nll)).toBe(true);
});
