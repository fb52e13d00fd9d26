import { describe, expect, it } from 'vitest';
import { exportAdapter } from '../../peft/exportAdapter';
import { importAdapter } from '../../peft/importAdapter';
import { cloneAdapter, randomAdapter, tinyGpt2Base } from '../testAdapter';
import { UserFacingError } from '../../types';
import { malformedCases, runCase, type ValidAdapterFiles } from './malformed';

/** Override to reproduce another run: FUZZ_SEED=123 npx vitest run src/engine/fuzz. */
const SEED = Number(process.env.FUZZ_SEED ?? 20260101);
const CASES = 1200;
/** Generous per-case bound for 2 shared cores; a hang or quadratic blow-up exceeds it by far. */
const MAX_CASE_MS = 1500;

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

describe('malformed adapter inputs', () => {
  it(`${CASES} seeded cases (seed ${SEED}) each end in a specific UserFacingError, fast, with nothing changed`, () => {
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
    let count = 0;
    let slowest = 0;
    for (const c of malformedCases(valid, SEED, CASES)) {
      count++;
      operators.add(c.description.split(':')[0]);
      const t0 = performance.now();
      let error: unknown = null;
      try {
        runCase(c, base);
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - t0;
      slowest = Math.max(slowest, ms);
      const tag = `#${c.index} ${c.description.slice(0, 120)}`;
      if (!(error instanceof UserFacingError)) {
        failures.push(`${tag}: ${error === null ? 'accepted' : `threw ${String(error).slice(0, 200)}`}`);
      } else if (error.message.length < 20 || /undefined|\[object Object\]|NaN bytes/.test(error.message)) {
        failures.push(`${tag}: vague message "${error.message}"`);
      } else {
        messages.add(error.message.replace(/\d+/g, '#'));
      }
      if (ms > MAX_CASE_MS) failures.push(`${tag}: took ${ms.toFixed(0)} ms`);
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(1000);
    expect(operators.size).toBeGreaterThanOrEqual(45);
    expect(messages.size).toBeGreaterThan(60); // specific messages, not one catch-all
    expect(loaded).toEqual(snapshot);
    expect(valid.safetensors).toEqual(seedBytes);
    console.info(
      `fuzz: ${count} cases, ${operators.size} operators, ${messages.size} distinct messages, slowest ${slowest.toFixed(0)} ms`,
    );
  }, 60_000);
});
