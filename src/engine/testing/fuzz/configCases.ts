/**
 * Malformed variants of a valid adapter_config.json (wrong types, r mismatches, bad regexes,
 * deep or huge JSON, broken text). Each is invalid by construction.
 */
import type { Rng } from '../../rng';
import type { Mutation } from './safetensorsCases';

const enc = new TextEncoder();
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)];

/** [key, bad value]; `mismatch` values are computed from the valid config. */
const BAD_FIELDS: [string, unknown][] = [
  ['r', '4'],
  ['r', 4.5],
  ['r', -1],
  ['r', 0],
  ['r', true],
  ['r', []],
  ['r', {}],
  ['r', 'mismatch'],
  ['lora_alpha', 'x'],
  ['lora_alpha', true],
  ['lora_alpha', []],
  ['lora_alpha', {}],
  ['lora_dropout', 1],
  ['lora_dropout', 1.5],
  ['lora_dropout', -0.1],
  ['lora_dropout', '0'],
  ['use_rslora', 'yes'],
  ['use_rslora', 1],
  ['use_rslora', null],
  ['fan_in_fan_out', 1],
  ['fan_in_fan_out', 'true'],
  ['inference_mode', 'yes'],
  ['target_modules', 5],
  ['target_modules', [1, 2]],
  ['target_modules', {}],
  ['target_modules', true],
  ['target_modules', '('],
  ['target_modules', 'x'.repeat(600)],
  ['rank_pattern', { c_fc: '2' }],
  ['rank_pattern', []],
  ['rank_pattern', { c_fc: 0 }],
  ['rank_pattern', { c_fc: 7 }],
  ['rank_pattern', { '(': 2 }],
  ['rank_pattern', 'x'],
  ['rank_pattern', { c_attn: 1.5 }],
  ['rank_pattern', { '(.*)*x': 2 }],
  ['alpha_pattern', { '([a-z._0-9]+)+X': 2 }],
  ['target_modules', '(\\w+)*c_attnX'],
  ['alpha_pattern', { c_attn: 'x' }],
  ['alpha_pattern', []],
  ['alpha_pattern', { '[': 2 }],
  ['peft_type', 'IA3'],
  ['peft_type', 'PREFIX_TUNING'],
  ['peft_type', 5],
  ['use_dora', true],
  ['base_model_name_or_path', 5],
  ['base_model_name_or_path', {}],
  ['task_type', 5],
  ['task_type', []],
  ['init_lora_weights', 5],
  ['init_lora_weights', {}],
  ['init_lora_weights', []],
  ['layer_replication', [[0, 1]]],
  ['target_parameters', ['attn.c_attn.weight']],
];

type Operator = (rng: Rng, text: string, config: Record<string, unknown>) => { description: string; bytes: Uint8Array };

const operators: Record<string, Operator> = {
  badField: (rng, _t, config) => {
    const [key, raw] = pick(rng, BAD_FIELDS);
    const value = raw === 'mismatch' ? (config.r as number) + 1 + rng.int(8) : raw;
    return {
      description: `${key} set to ${JSON.stringify(value).slice(0, 40)}`,
      bytes: enc.encode(JSON.stringify({ ...config, [key]: value })),
    };
  },
  nonFiniteNumber: (rng, text) => {
    const key = pick(rng, ['r', 'lora_alpha', 'lora_dropout']);
    const out = text.replace(
      new RegExp(`"${key}": [^,\\n]+`),
      `"${key}": ${pick(rng, ['1e400', '-1e400', '1e-400e5'])}`,
    );
    return { description: `${key} overflowed to ±Infinity or unparseable`, bytes: enc.encode(out) };
  },
  truncate: (rng, text) => {
    const at = rng.int(text.lastIndexOf('}'));
    return { description: `truncated to ${at} characters`, bytes: enc.encode(text.slice(0, at)) };
  },
  nonUtf8: (rng, text) => {
    const bytes = enc.encode(text);
    const out = bytes.slice();
    out[rng.int(out.length)] = pick(rng, [0xff, 0xc0, 0x80, 0xfe]);
    return { description: 'an invalid UTF-8 byte', bytes: out };
  },
  notAnObject: (rng) => {
    const text = pick(rng, ['', 'null', '[]', '"LORA"', '42', 'true', '{"r": 4,}', "{'r': 4}", '{r: 4}']);
    return { description: `replaced by ${JSON.stringify(text)}`, bytes: enc.encode(text) };
  },
  deepNesting: (rng, _t, config) => {
    const depth = 1000 + rng.int(100_000);
    const inner = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const whole = rng.int(2) === 0;
    const text = whole ? inner : JSON.stringify({ ...config, r: 0 }).replace('"r":0', `"r":${inner}`);
    return { description: `${whole ? 'whole file' : 'r'} nested ${depth} levels deep`, bytes: enc.encode(text) };
  },
  hugeString: (rng, _t, config) => {
    const key = pick(rng, ['r', 'peft_type', 'lora_alpha']);
    const value = 'x'.repeat(100_000 + rng.int(1_000_000));
    return {
      description: `${key} set to a ${value.length}-character string`,
      bytes: enc.encode(JSON.stringify({ ...config, [key]: value })),
    };
  },
};

export const CONFIG_OPERATORS = Object.keys(operators);

/** One malformed variant of a valid adapter_config.json text. */
export function mutateConfig(rng: Rng, validText: string, operator = pick(rng, CONFIG_OPERATORS)): Mutation {
  const m = operators[operator](rng, validText, JSON.parse(validText) as Record<string, unknown>);
  return { description: `config/${operator}: ${m.description}`, bytes: m.bytes };
}
