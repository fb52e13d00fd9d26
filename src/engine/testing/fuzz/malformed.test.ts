import { describe, expect, it } from 'vitest';
import { exportAdapter } from '../../peft/exportAdapter';
import { importAdapter } from '../../peft/importAdapter';
import { UserFacingError } from '../../types';
import { cloneAdapter, randomAdapter, tinyGpt2Base } from '../testAdapter';
import { malformedCases, runCase, type MalformedCase, type ValidAdapterFiles } from './malformed';

/** Override to reproduce another run: FUZZ_SEED=123 npx vitest run src/engine/testing/fuzz. */
const SEED = Number(process.env.FUZZ_SEED ?? 20260101);
const CASES = 2000;
/** The issue's bound: no input may take a second. Typical cases take 1–5 ms. */
const MAX_CASE_MS = 1000;
/**
 * Allocation bound: the process's peak resident memory may grow by at most the largest input
 * (as bytes in hand) times a small factor, plus this much for the JS engine's own working space.
 * A case that believed a damaged header or config (n_layer 1e8, a 2^40-byte tensor) would allocate
 * gigabytes and blow it.
 */
const RSS_SLACK_BYTES = 192 * 2 ** 20;
const peakRss = () => process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB

function inputBytes(c: MalformedCase): number {
  if ('zip' in c.input) return c.input.zip.length;
  if ('files' in c.input) return [...c.input.files.values()].reduce((n, b) => n + b.length, 0);
  return 0;
}

const base = tinyGpt2Base();
const adapter = randomAdapter(base, {
  r: 4,
  lora_alpha: 8,
  target_modules: ['c_attn', 'c_fc'],
  rank_pattern: { c_fc: 2 },
});
const exported = exportAdapter(adapter, { baseModelName: 'lowrank/tiny-gpt2', taskType: 'CAUSAL_LM' });
const valid: ValidAdapterFiles = {
  safetensors: exported['adapter_model.safetensors'],
  config: exported['adapter_config.json'],
  readme: exported['README.md'],
};

describe('damaged inputs', () => {
  it(`${CASES} seeded cases (seed ${SEED}) each end in a specific UserFacingError or the expected warning, in under ${MAX_CASE_MS} ms, with nothing changed`, () => {
    const loaded = importAdapter(
      new Map([
        ['adapter_model.safetensors', valid.safetensors],
        ['adapter_config.json', new TextEncoder().encode(valid.config)],
      ]),
      base,
    ).adapter;
    const snapshot = cloneAdapter(loaded);
    const seedBytes = valid.safetensors.slice();
    const failures: string[] = [];
    const messages = new Set<string>();
    const operators = new Set<string>();
    const kinds = new Set<string>();
    let count = 0;
    let accepted = 0;
    let slowest = { ms: 0, description: '' };
    let largestInput = 0;
    const rssBefore = peakRss();
    for (const c of malformedCases(valid, SEED, CASES)) {
      count++;
      largestInput = Math.max(largestInput, inputBytes(c));
      const operator = c.description.split(':')[0];
      operators.add(operator);
      kinds.add(operator.split('/')[0]);
      const t0 = performance.now();
      let error: unknown = null;
      let warnings: string[] = [];
      try {
        warnings = runCase(c, base);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, description: c.description.slice(0, 100) };
      const tag = `#${c.index} ${c.description.slice(0, 120)}`;
      if (c.accepted) {
        accepted++;
        if (error !== null) failures.push(`${tag}: valid input refused: ${String(error).slice(0, 200)}`);
        else if (c.accepted !== true && !warnings.some((w) => (c.accepted as RegExp).test(w)))
          failures.push(`${tag}: no warning matching ${c.accepted} in ${JSON.stringify(warnings).slice(0, 300)}`);
      } else if (!(error instanceof UserFacingError)) {
        failures.push(`${tag}: ${error === null ? 'accepted' : `threw ${String(error).slice(0, 200)}`}`);
      } else if (error.message.length < 20 || /undefined|\[object Object\]|NaN bytes/.test(error.message)) {
        failures.push(`${tag}: vague message "${error.message}"`);
      } else if (c.message && !c.message.test(error.message)) {
        failures.push(`${tag}: message "${error.message.slice(0, 300)}" does not match ${c.message}`);
      } else {
        messages.add(error.message.replace(/\d+/g, '#'));
      }
      if (ms > MAX_CASE_MS) failures.push(`${tag}: took ${ms.toFixed(0)} ms`);
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(2000);
    expect([...kinds].sort()).toEqual(['config', 'model', 'safetensors', 'zip']);
    expect(operators.size).toBeGreaterThanOrEqual(60);
    expect(messages.size).toBeGreaterThan(150); // specific messages, not one catch-all
    expect(accepted).toBeGreaterThan(50);
    expect(slowest.ms).toBeLessThan(MAX_CASE_MS);
    expect(loaded).toEqual(snapshot);
    expect(valid.safetensors).toEqual(seedBytes);
    const rssGrowth = peakRss() - rssBefore;
    expect(rssGrowth).toBeLessThan(4 * largestInput + RSS_SLACK_BYTES);
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    console.info(
      `fuzz: ${count} cases (${accepted} valid), ${operators.size} kinds of damage, ${messages.size} distinct messages, slowest ${slowest.ms.toFixed(0)} ms (${slowest.description}); peak RSS grew ${mib(rssGrowth)} (largest input ${mib(largestInput)})`,
    );
  }, 120_000);
});
