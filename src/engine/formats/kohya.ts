/**
 * kohya sd-scripts / diffusers Stable Diffusion LoRA (networks/lora.py): per module
 * `<name>.lora_down.weight` [r, in] (a conv kernel [r, c_in, kh, kw] for conv layers),
 * `<name>.lora_up.weight` [out, r] ([out, r, 1, 1]) and a scalar `<name>.alpha`; the update is
 * scale·up·down with scale = alpha / r, where a missing or zero alpha means alpha = r (scale 1).
 * Older diffusers files use `.lora.down.weight` / `.lora.up.weight` without alpha.
 */
import type { SafetensorsFile } from '../safetensors';
import { UserFacingError } from '../types';
import { checkRank, completePairs, num, orientPeft, PairCollector, short, tensorKeys } from './factors';
import type { AdapterModule, Lint, ParsedAdapter } from './types';

const FACTOR_KEY = /^(.+?)\.(?:lora_(down|up)|lora\.(down|up))\.weight$/;
const ALPHA_KEY = /^(.+)\.alpha$/;
/** LyCORIS variants that are not a plain B·A product. */
const LYCORIS_KEY = /\.(hada_w[12]_[ab]|lokr_w[12](_[ab])?|lora_mid\.weight|oft_blocks|dora_scale)$/;

/** Safetensors metadata keys kohya writes that say something about the base. */
const HINT_KEYS = [
  'ss_base_model_version',
  'ss_sd_model_name',
  'ss_network_module',
  'ss_network_dim',
  'ss_network_alpha',
];

export function readKohya(path: string, file: SafetensorsFile): Omit<ParsedAdapter, 'format' | 'reasons' | 'files'> {
  const lints: Lint[] = [];
  const collector = new PairCollector();
  const alphas = new Map<string, number>();
  const extras: ParsedAdapter['extras'] = [];
  let lycoris = 0;
  for (const [key, t] of file.tensors) {
    const f = FACTOR_KEY.exec(key);
    if (f) {
      collector.add(f[1], (f[2] ?? f[3]) === 'down' ? 'a' : 'b', t, key);
      continue;
    }
    const a = ALPHA_KEY.exec(key);
    if (a && t.data.length === 1) {
      alphas.set(a[1], t.data[0]);
      continue;
    }
    if (LYCORIS_KEY.test(key)) lycoris++;
    extras.push({ key, shape: t.shape });
  }
  if (lycoris > 0) {
    lints.push({
      id: 'lycoris',
      severity: 'warning',
      message: `${lycoris} LyCORIS tensors (LoHa / LoKr / Tucker): those modules are not a plain up·down product and are not analysed`,
      fix: 'Only plain LoRA modules (lora_down / lora_up) are analysed here',
    });
  }
  const modules: AdapterModule[] = [];
  for (const p of completePairs(collector.pairs.values(), ['lora_down', 'lora_up'], lints)) {
    const o = orientPeft(p.key, p.a, p.b);
    const stored = alphas.get(p.key);
    // kohya: `alpha = lora_dim if alpha is None or alpha == 0`, so both mean scale 1.
    const alpha = stored === undefined || stored === 0 ? null : stored;
    const scaling = alpha === null ? 1 : alpha / o.r;
    const scalingRule =
      alpha === null ? `no alpha${stored === 0 ? ' (0)' : ''}: α = r, s = 1` : `alpha/r = ${num(alpha)}/${o.r}`;
    const mod: AdapterModule = {
      name: p.key,
      key: p.key,
      kind: o.kind,
      A: { shape: o.A.shape, data: o.A.data },
      B: { shape: o.B.shape, data: o.B.data },
      r: o.r,
      alpha,
      scaling,
      scalingRule,
      stored: { a: { shape: p.a.shape, dtype: p.a.dtype }, b: { shape: p.b.shape, dtype: p.b.dtype } },
      ...(o.kernel ? { kernel: o.kernel } : {}),
      ...tensorKeys(p),
    };
    checkRank(mod);
    modules.push(mod);
  }
  if (modules.length === 0)
    throw new UserFacingError(
      `${short(path)} has no kohya LoRA modules (names ending in .lora_down.weight / .lora_up.weight)`,
    );
  const metadata: Record<string, string> = {};
  for (const k of HINT_KEYS) if (file.metadata[k] !== undefined) metadata[k] = short(file.metadata[k], 200);
  return {
    modules,
    extras,
    lints,
    baseModel: file.metadata.ss_sd_model_name ?? null,
    taskType: null,
    architecture: null,
    peft: null,
    mlx: null,
    metadata,
  };
}
