/**
 * Malformed variants of a valid adapter_config.json (wrong types, r mismatches, bad regexes,
 * deep or huge JSON, broken text). Each is invalid by construction.
 */
import type { Rng } from '../../rng';
import { OTHER_JSON, OTHER_KINDS } from './fileKindCases';
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
  // what RE2 cannot run, each refused with its name
  ['target_modules', '^(?!.*mlp).*c_attn'],
  ['target_modules', '(c_attn)\\1'],
  ['target_modules', '.*c_at++n'],
  ['target_modules', '(?>.*)c_attn'],
  ['target_modules', '.*c_attn\\Z'],
  ['target_modules', '(?x) .* c_attn'],
  ['target_modules', 'a{1001}'],
  ['target_modules', '(?P<m>c)(?P=m)'],
  ['rank_pattern', { '(?<=h\\.0\\.)c_fc': 2 }],
  ['alpha_pattern', { '(c)\\1_fc': 2 }],
  ['exclude_modules', '(?=.*mlp)'],
  ['exclude_modules', 5],
  ['exclude_modules', [1]],
  // PEFT's layer filters, wrong
  ['layers_to_transform', '0'],
  ['layers_to_transform', -1],
  ['layers_to_transform', 1.5],
  ['layers_to_transform', [0, '1']],
  ['layers_to_transform', {}],
  ['layers_to_transform', true],
  ['layers_to_transform', [99]],
  ['layers_pattern', 'h'],
  ['layers_pattern', 5],
  ['exclude_modules', ['c_attn', 'c_fc']],
  ['exclude_modules', '.*'],
  // absurd scalings: not a float32, or ΔW overflowing inside the model
  ['lora_alpha', 1e30],
  ['lora_alpha', -3e38],
  ['lora_alpha', 1e308],
  ['alpha_pattern', { c_attn: 1e200 }],
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

/** Several keys at once: combinations PEFT itself refuses, or a filter that fails when matching. */
const BAD_COMBOS: Record<string, unknown>[] = [
  { target_modules: 'transformer\\.h\\.0\\.attn\\.c_attn', layers_to_transform: [0] },
  { target_modules: '.*c_attn', layers_pattern: 'h', layers_to_transform: [0] },
  { layers_pattern: '(h)', layers_to_transform: [0] },
  { layers_pattern: ['(?!x)h'], layers_to_transform: 0 },
  { layers_pattern: 'h', layers_to_transform: [5, 6] },
];

/** Valid variants that must load, with the warning they must give. */
const ACCEPTED: [Record<string, unknown>, RegExp | true][] = [
  // patterns that backtrack for seconds in a JavaScript RegExp, linear in RE2
  [{ target_modules: '(.|.)*X' }, /not covered by target_modules/],
  [{ target_modules: '.*.*.*.*.*.*.*.*.*.*X' }, /not covered by target_modules/],
  [{ target_modules: '(?:.|.|.)*X' }, /not covered by target_modules/],
  [{ rank_pattern: { '(.*)*x': 2, c_fc: 2 } }, true],
  [{ alpha_pattern: { '([a-z._0-9]+)+X': 2 } }, true],
  [{ exclude_modules: '((a|b)*)*c' }, true],
  [{ target_modules: '.*\\.(c_attn|c_fc)' }, true],
  // PEFT's layer filters, honoured
  [{ layers_to_transform: [0] }, /left out, as PEFT would \(layers_to_transform is \[0\]\)/],
  [{ layers_to_transform: 1, layers_pattern: 'h' }, /left out, as PEFT would/],
  [{ layers_to_transform: [0, 1], layers_pattern: ['layers', 'h'] }, true],
  [{ exclude_modules: ['c_fc'] }, /left out, as PEFT would \(exclude_modules/],
  [{ exclude_modules: 'transformer\\.h\\.1\\..*' }, /left out, as PEFT would/],
  // loud but finite scalings, and other tasks' adapters
  [{ lora_alpha: 1e4, alpha_pattern: {} }, /far outside what PEFT users set/],
  [{ task_type: 'SEQ_CLS' }, /task_type is SEQ_CLS \(sequence classification\).*head .* is not/],
  [{ task_type: 'TOKEN_CLS' }, /task_type is TOKEN_CLS/],
  [{ task_type: 'SOMETHING_NEW' }, /task_type is "SOMETHING_NEW"/],
];

type Operator = (
  rng: Rng,
  text: string,
  config: Record<string, unknown>,
) => Omit<Mutation, 'description'> & { description: string };

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
  badCombination: (rng, _t, config) => {
    const patch = pick(rng, BAD_COMBOS);
    return {
      description: `${JSON.stringify(patch).slice(0, 80)}`,
      bytes: enc.encode(JSON.stringify({ ...config, ...patch })),
    };
  },
  accepted: (rng, _t, config) => {
    const [patch, warning] = pick(rng, ACCEPTED);
    return {
      description: `valid: ${JSON.stringify(patch).slice(0, 80)}`,
      bytes: enc.encode(JSON.stringify({ ...config, ...patch })),
      accepted: warning,
    };
  },
  regexBudget: (rng, _t, config) => {
    const many = rng.int(2) === 0;
    const keys = many
      ? Array.from({ length: 4097 + rng.int(8) }, (_, i) => `transformer.h.${i}.mlp.c_fc`)
      : Array.from({ length: 300 }, (_, i) => `(x|y)*${i}.*[a-z]+(?:q|r)*\\.c_fc`);
    const rank_pattern = Object.fromEntries(keys.map((k) => [k, 2]));
    return {
      description: many ? `${keys.length} rank_pattern keys` : '300 regex rank_pattern keys (over 1,000 characters)',
      bytes: enc.encode(JSON.stringify({ ...config, rank_pattern })),
      message: many ? /"rank_pattern" has \d+ keys \(at most 4096\)/ : /regular expressions total \d+ characters/,
    };
  },
  otherFileKind: (rng) => {
    const choice = rng.int(3);
    if (choice === 0) {
      const k = pick(
        rng,
        OTHER_KINDS.filter((x) => x.what !== 'an empty file'),
      );
      return { description: `replaced by ${k.what}`, bytes: k.bytes(rng), message: k.message };
    }
    const j = pick(
      rng,
      OTHER_JSON.filter((x) => x.kind !== 'adapter-config'),
    );
    return { description: `replaced by ${j.what}`, bytes: enc.encode(j.text), message: j.message };
  },
  hugeString: (rng, _t, config) => {
    const key = pick(rng, ['r', 'peft_type', 'lora_alpha']);
    const value = 'x'.repeat(rng.int(4) === 0 ? 1_000_000 + rng.int(4_000_000) : 10_000 + rng.int(100_000));
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
  return { ...m, description: `config/${operator}: ${m.description}` };
}
