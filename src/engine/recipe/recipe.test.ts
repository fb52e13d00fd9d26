import { describe, expect, it } from 'vitest';
import { parseDocuments } from '../data/tasks';
import { parseGpt2Config } from '../gpt2/config';
import { gpt2Linears } from '../gpt2/params';
import type { RunSettings } from '../session/types';
import { unzipFiles } from '../zip';
import { python3Available, pyCompile, writeScript } from './pythonTestUtil';
import { buildRecipe, recipeZip } from './recipe';
import type { RecipeInput } from './settings';
import { settingsFromScript } from './trainScript';
import { PINNED_PACKAGES } from './versions';

const settings: RunSettings = {
  mode: 'lora',
  adapterName: 'names run',
  lora: { r: 4, lora_alpha: 8, lora_dropout: 0.05, target_modules: ['c_attn', 'attn.c_proj'], use_rslora: true },
  learningRate: 3e-3,
  totalSteps: 120,
  warmupSteps: 12,
  batch: 8,
  seq: 64,
  seed: 7,
  evalBatches: 3,
};
const modules = gpt2Linears(parseGpt2Config({ vocab_size: 97, n_positions: 32, n_embd: 96, n_layer: 3, n_head: 4 }));
const train = ['Anna', 'Bob', 'Zoë', "O'Neil", 'Mary Ann', 'a "quoted" name'];
const validation = ['Eve', 'Joe'];

const input = (over: Partial<RecipeInput> = {}): RecipeInput => ({
  settings,
  dataset: { label: 'First names', train, validation, alignToDocuments: true },
  base: { kind: 'hub', repoId: 'openai-community/gpt2', revision: 'main' },
  architecture: 'gpt2',
  modules,
  contextLength: 32,
  endOfText: { token: '<|endoftext|>', id: 0 },
  browser: { validationLoss: 2.2642, steps: 120, baseValidationLoss: 2.609, backend: 'WebGPU' },
  ...over,
});

describe('the run as a PEFT + Accelerate recipe', () => {
  it('writes the folder: script, pinned requirements, data, DeepSpeed config, README', () => {
    const r = buildRecipe(input());
    expect(Object.keys(r.files).sort()).toEqual([
      'README.md',
      'ds_zero2.json',
      'requirements.txt',
      'train.txt',
      'train_lora.py',
      'validation.txt',
    ]);
    expect(r.folder).toBe('lowrank-recipe-names-run');
  });

  it('train_lora.py’s settings block, read back, holds exactly the run’s LoraConfig and training values', () => {
    const r = buildRecipe(input());
    const s = settingsFromScript(r.files['train_lora.py'] as string);
    expect(s).toEqual(r.settings);
    expect(s.lora).toEqual({
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      target_modules: ['c_attn', 'attn.c_proj'],
      use_rslora: true,
      init_lora_weights: true, // the app's (PEFT's) default, made explicit
      fan_in_fan_out: true, // GPT-2's Conv1D
      bias: 'none',
      task_type: 'CAUSAL_LM',
    });
    expect(s.training).toMatchObject({
      steps: 120,
      warmup_steps: 12,
      learning_rate: 3e-3,
      batch: 8,
      seq: 32, // clamped to the context length, as the app does
      seed: 7,
      max_grad_norm: 1,
      adam_beta1: 0.9,
      adam_beta2: 0.999,
      adam_epsilon: 1e-8,
      weight_decay: 0.01,
      min_learning_rate: 0,
    });
    expect(s.data).toMatchObject({ align_to_documents: true, end_of_text_id: 0, eval_batches: 3 });
    expect(s.lora_modules).toEqual(
      [0, 1, 2].flatMap((i) => [`transformer.h.${i}.attn.c_attn`, `transformer.h.${i}.attn.c_proj`]),
    );
    expect(s.base).toEqual({ kind: 'hub', repo_id: 'openai-community/gpt2', revision: 'main' });
    expect(s.browser).toEqual({ validation_loss: 2.2642, steps: 120, base_validation_loss: 2.609, backend: 'WebGPU' });
  });

  it('train.txt / validation.txt hold the split exactly, one document per line', () => {
    const r = buildRecipe(input());
    expect(r.files['train.txt']).toBe(train.map((d) => `${d}\n`).join(''));
    expect(parseDocuments(r.files['train.txt'] as string)).toEqual(train);
    expect(parseDocuments(r.files['validation.txt'] as string)).toEqual(validation);
  });

  it('the generated script compiles (python3 -m py_compile)', () => {
    if (!python3Available()) {
      console.log('skip: python3 is not installed, so train_lora.py was not compiled');
      return;
    }
    for (const over of [
      {},
      {
        architecture: 'llama' as const,
        modules: [{ name: 'model.layers.0.self_attn.q_proj', dIn: 8, dOut: 8 }],
        settings: { ...settings, lora: { target_modules: ['q_proj'], init_lora_weights: 'pissa' as const } },
      },
    ]) {
      expect(pyCompile(writeScript(buildRecipe(input(over)).files['train_lora.py'] as string))).toBeNull();
    }
  });

  it('requirements.txt pins every package exactly; the DeepSpeed config is ZeRO-2 with the run’s clipping', () => {
    const r = buildRecipe(input());
    const lines = (r.files['requirements.txt'] as string).split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines).toHaveLength(PINNED_PACKAGES.length);
    for (const l of lines) expect(l).toMatch(/^[a-z]+==\d+\.\d+\.\d+( ; sys_platform == "linux")?$/);
    expect(lines).toContain('peft==0.21.0');
    const ds = JSON.parse(r.files['ds_zero2.json'] as string);
    expect(ds.zero_optimization.stage).toBe(2);
    expect(ds.gradient_clipping).toBe(1);
  });

  it('README: accelerate launch for one GPU, several GPUs, several machines with DeepSpeed, and the browser’s loss', () => {
    const md = buildRecipe(input()).files['README.md'] as string;
    expect(md).toContain('accelerate launch --num_processes 1 train_lora.py');
    expect(md).toContain('accelerate launch --multi_gpu --num_processes 4 train_lora.py');
    expect(md).toMatch(/--use_deepspeed --deepspeed_config_file ds_zero2\.json[\s\\]+--num_machines 2/);
    expect(md).toContain('**2.2642 nats/token**');
    expect(md).toContain('must be one of 1, 2, 4, 8');
    expect(md).toContain('`openai-community/gpt2` at revision `main`');
  });

  it('a folder base: its files travel in the recipe; the zip holds every file under the folder', () => {
    const r = buildRecipe(
      input({ base: { kind: 'folder', folder: 'base', files: { 'config.json': '{}', 'tokenizer.json': '{}' } } }),
    );
    expect(r.settings.base).toEqual({ kind: 'folder', path: 'base' });
    expect(r.files['base/config.json']).toBe('{}');
    const unzipped = unzipFiles(recipeZip(r));
    expect([...unzipped.keys()].sort()).toEqual(
      Object.keys(r.files)
        .map((p) => `${r.folder}/${p}`)
        .sort(),
    );
    expect(new TextDecoder().decode(unzipped.get(`${r.folder}/train_lora.py`))).toBe(r.files['train_lora.py']);
  });

  it('Llama: nn.Linear layers, so fan_in_fan_out is false', () => {
    const r = buildRecipe(
      input({
        architecture: 'llama',
        modules: [
          { name: 'model.layers.0.self_attn.q_proj', dIn: 64, dOut: 64 },
          { name: 'model.layers.0.self_attn.v_proj', dIn: 64, dOut: 16 },
        ],
        settings: { ...settings, lora: { r: 8, target_modules: ['q_proj', 'v_proj'] } },
      }),
    );
    expect(r.settings.lora.fan_in_fan_out).toBe(false);
    expect(r.settings.lora.lora_alpha).toBe(8);
    expect(r.settings.lora_modules).toEqual(['model.layers.0.self_attn.q_proj', 'model.layers.0.self_attn.v_proj']);
  });

  it('refuses what it cannot reproduce, with clear messages', () => {
    expect(() => buildRecipe(input({ settings: { ...settings, mode: 'full' } }))).toThrow(/reproduces LoRA runs/);
    const broken = { label: 'x', train: ['a\nb'], validation, alignToDocuments: true };
    expect(() => buildRecipe(input({ dataset: broken }))).toThrow(
      /training document 1 is empty or contains a line break/,
    );
    expect(() => buildRecipe(input({ base: { kind: 'hub', repoId: 'not a repo', revision: 'main' } }))).toThrow(
      /is not a Hub repository id/,
    );
    expect(() => buildRecipe(input({ settings: { ...settings, lora: { target_modules: ['q_proj'] } } }))).toThrow(
      /matches none of the model's layers/,
    );
    expect(() => buildRecipe(input({ base: { kind: 'folder', folder: 'base', files: { 'evil.sh': 'x' } } }))).toThrow(
      /"evil.sh" is not a base model file/,
    );
    expect(() => buildRecipe(input({ endOfText: { token: '', id: -1 } }))).toThrow(/no end-of-text token/);
  });
});
