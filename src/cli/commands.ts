/**
 * The CLI's commands: params, train, score, generate. Each declares its flags once (the usage
 * text is made from them) and goes through the engine as the app does: `train`, `score` and
 * `generate` open an LmSession from files on disk and use the same run and sampling defaults
 * as the page and the Worker. What is left here is reading flags and files, and printing.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { documentsDataset } from '../engine/data/userText';
import { countLora, describeModelText } from '../engine/paramCount';
import { RUN_DEFAULTS, SAMPLE_DEFAULTS, runSettings } from '../engine/session/defaults';
import { LmSession } from '../engine/session/lmSession';
import { RANDOM_BASE_DEFAULTS, randomBaseFiles } from '../engine/session/randomBase';
import type { TrainMode } from '../engine/session/types';
import { UserFacingError } from '../engine/types';
import { BACKEND_FLAG } from './backendFlag';
import { Args, parseTargets, type CommandSpec, type Flag } from './args';
import { readAdapter, readBaseFolder, readDocuments, writeFolder } from './files';

export type Out = (line: string) => void;

export interface Command extends CommandSpec {
  run(args: Args, out: Out): Promise<unknown> | unknown;
}

const D = RUN_DEFAULTS;
const base: Flag = {
  name: 'base',
  value: 'dir',
  help: 'base folder (GPT-2, Llama or Qwen2): config.json, model.safetensors or its shards, tokenizer.json',
};
const adapter: Flag = { name: 'adapter', value: 'dir|zip', help: 'a PEFT adapter folder (or .zip) to apply' };
const FOLDERS = [
  'A base folder holds config.json, model.safetensors (or model-0000N-of-0000M.safetensors shards with',
  'model.safetensors.index.json) and tokenizer.json (any Hugging Face tokenizer; tokenizer_config.json is read',
  'when present): what `train --mode full` writes, or a Hugging Face GPT-2, Llama or Qwen2 checkpoint (F32, F16',
  'or BF16). An adapter folder is a PEFT adapter',
  '(adapter_model.safetensors, adapter_config.json), as `train --mode lora` writes.',
];

export const params: Command = {
  name: 'params',
  summary: "PEFT's trainable-parameters line for a config.json alone (GPT-2, BLOOM, Llama)",
  flags: [
    { name: 'config', value: 'file', help: "the model's config.json", required: true },
    { name: 'target', value: 'c_attn[,…]', help: 'target_modules', defaultText: "the model's usual targets" },
    { name: 'r', value: 'N', help: 'LoRA rank', default: D.lora.r },
    { name: 'alpha', value: 'α', help: 'lora_alpha', defaultText: 'r' },
  ],
  run(args, out) {
    const arch = describeModelText(readFileSync(args.required('config'), 'utf8'));
    const targets = parseTargets(args.str('target') ?? arch.defaultTargets.join(','));
    if (!Array.isArray(targets))
      throw new UserFacingError('params takes a comma-separated list of module names for --target');
    const r = args.num('r', { integer: true, min: 1 })!;
    const alpha = args.num('alpha') ?? r;
    const c = countLora(arch, targets, r);
    if (c.matched.length === 0)
      throw new UserFacingError(`--target ${targets.join(',')} matched no module of this ${arch.modelType} model`);
    out(c.peftLine);
    out(`(${c.matched.length} modules, r = ${r}, α = ${alpha}, scaling α/r = ${alpha / r})`);
  },
};

/** What `train` measured, for tests and callers that want numbers rather than lines. */
export interface TrainSummary {
  adapterName: string | null;
  steps: number;
  validationBefore: number;
  validationAfter: number;
}

export const train: Command = {
  name: 'train',
  summary: 'LoRA (or full) fine-tuning on a text file; lora writes a PEFT adapter folder, full a base folder',
  flags: [
    {
      name: 'text',
      value: 'file',
      help: 'documents, one per line (a tenth is held out for validation)',
      required: true,
    },
    { name: 'out', value: 'dir', help: 'the folder to write', required: true },
    { ...base, defaultText: 'a random base sized by --embd, --layers, --heads' },
    {
      name: 'mode',
      value: 'lora|full',
      help: 'train an adapter or every weight',
      defaultText: 'lora with --base, else full',
    },
    { name: 'steps', value: 'N', help: 'optimizer steps', default: D.totalSteps },
    { name: 'r', value: 'N', help: 'LoRA rank', default: D.lora.r },
    { name: 'alpha', value: 'α', help: 'lora_alpha (scaling α/r)', default: D.lora.lora_alpha },
    { name: 'dropout', value: 'p', help: 'LoRA dropout on the adapter input', default: D.lora.lora_dropout },
    {
      name: 'target',
      value: 'list|all-linear|regex',
      help: 'target_modules, e.g. c_attn,c_proj,c_fc or q_proj,k_proj,v_proj,o_proj',
      defaultText: "the family's PEFT default (GPT-2 c_attn; Llama, Qwen2 q_proj,v_proj)",
    },
    { name: 'lr', value: 'x', help: 'peak learning rate (AdamW, warm-up then cosine)', default: D.learningRate },
    { name: 'warmup', value: 'N', help: 'warm-up steps', defaultText: 'a tenth of the steps, at most 10' },
    { name: 'batch', value: 'N', help: 'rows per batch', default: D.batch },
    { name: 'seq', value: 'N', help: 'tokens per row', default: D.seq },
    { name: 'seed', value: 'N', help: 'seeds the split, the batches, the init and dropout', default: D.seed },
    { name: 'eval-batches', value: 'N', help: 'validation batches scored', default: D.evalBatches },
    { name: 'embd', value: 'C', help: 'random base: n_embd', default: RANDOM_BASE_DEFAULTS.n_embd },
    { name: 'layers', value: 'N', help: 'random base: n_layer', default: RANDOM_BASE_DEFAULTS.n_layer },
    { name: 'heads', value: 'N', help: 'random base: n_head', default: RANDOM_BASE_DEFAULTS.n_head },
    BACKEND_FLAG,
  ],
  notes: ['', ...FOLDERS],
  async run(args, out): Promise<TrainSummary> {
    const textPath = args.required('text');
    const documents = readDocuments(textPath);
    const outDir = args.required('out');
    const baseDir = args.str('base');
    const int = (name: string, min: number) => args.num(name, { integer: true, min });
    const target = args.str('target');
    const targets = target === undefined ? undefined : parseTargets(target);
    const settingsFor = (defaultTargets: readonly string[]) =>
      runSettings({
        mode: args.choice<TrainMode>('mode', ['lora', 'full'], baseDir ? 'lora' : 'full'),
        adapterName: basename(outDir),
        lora: {
          r: int('r', 1),
          lora_alpha: args.num('alpha', { min: 0 }),
          lora_dropout: args.num('dropout', { min: 0 }),
          target_modules: targets ?? [...defaultTargets],
        },
        learningRate: args.num('lr', { min: 0 }),
        totalSteps: int('steps', 1),
        warmupSteps: int('warmup', 0),
        batch: int('batch', 1),
        seq: int('seq', 2),
        seed: args.num('seed', { integer: true }),
        evalBatches: int('eval-batches', 1),
      });
    const shape = { n_embd: int('embd', 1)!, n_layer: int('layers', 1)!, n_head: int('heads', 1)! };
    const first = settingsFor(D.lora.target_modules); // flags checked before any file is read
    const files = baseDir
      ? await readBaseFolder(baseDir)
      : randomBaseFiles(documents, { ...shape, n_positions: Math.max(first.seq, 128) }, first.seed);
    if (!baseDir && first.mode === 'lora')
      out('note: no --base given: LoRA on a random base learns little; train a base with --mode full first');
    const session = await LmSession.load(files);
    try {
      const summary = session.summary();
      const settings = settingsFor(summary.defaultTargets);
      const { nPositions } = summary.dims;
      if (settings.seq > nPositions)
        throw new UserFacingError(`--seq ${settings.seq} exceeds the base's context of ${nPositions} positions`);
      session.setDataset(documentsDataset(documents, { seed: settings.seed, label: basename(textPath) }));
      const info = await session.beginRun(settings);
      out(info.trainable.line);
      const validationBefore = await session.evaluate(false);
      out(`validation loss before: ${validationBefore.toFixed(4)} nats/token`);
      const every = Math.max(1, Math.floor(settings.totalSteps / 10));
      while (session.stepsDone < settings.totalSteps) {
        const st = await session.step();
        if (st.stopped) throw new UserFacingError(st.stopped);
        if (st.step % every === 0)
          out(
            `step ${st.step}: loss ${st.loss.toFixed(4)}, lr ${st.lr.toExponential(2)}, ${st.tokensPerSec.toFixed(0)} tok/s, |g| ${st.gradNorm.toFixed(3)}`,
          );
      }
      const validationAfter = await session.evaluate(true);
      out(`validation loss after: ${validationAfter.toFixed(4)} nats/token`);
      const trained = info.mode === 'full' ? await session.trainedBaseFiles() : null;
      const { steps } = session.endRun(validationAfter);
      writeFolder(outDir, trained ?? (await session.workspace.exportAdapterFiles(info.adapterName!)));
      out(`wrote ${outDir}`);
      return { adapterName: info.adapterName, steps, validationBefore, validationAfter };
    } finally {
      session.dispose();
    }
  },
};

/** Opens the base folder, with the adapter applied when one is given. */
async function openWithAdapter(args: Args, out: Out): Promise<{ session: LmSession; adapter: string | null }> {
  const session = await LmSession.load(await readBaseFolder(args.required('base')));
  const path = args.str('adapter');
  try {
    if (!path) return { session, adapter: null };
    const { name, warnings } = session.workspace.importAdapterFiles(basename(path), readAdapter(path));
    for (const w of warnings) out(`note: ${w}`);
    return { session, adapter: name };
  } catch (e) {
    session.dispose();
    throw e;
  }
}

export const score: Command = {
  name: 'score',
  summary: 'mean NLL per token of a text file, with and without the adapter',
  flags: [
    { ...base, required: true },
    { name: 'text', value: 'file', help: 'documents, one per line; every token is scored once', required: true },
    adapter,
    { name: 'batch', value: 'N', help: 'rows per batch', default: D.batch },
    { name: 'seq', value: 'N', help: 'tokens per row (at most the context)', default: D.seq },
    BACKEND_FLAG,
  ],
  notes: ['', ...FOLDERS],
  async run(args, out): Promise<{ base: number; adapter: number | null; tokens: number }> {
    const documents = readDocuments(args.required('text'));
    const layout = {
      batch: args.num('batch', { integer: true, min: 1 }),
      seq: args.num('seq', { integer: true, min: 2 }),
    };
    const { session, adapter: name } = await openWithAdapter(args, out);
    try {
      const b = await session.scoreDocuments(documents, { ...layout, useAdapter: false });
      out(`base: ${b.nll.toFixed(4)} nats/token over ${b.tokens} tokens`);
      if (!name) return { base: b.nll, adapter: null, tokens: b.tokens };
      const a = await session.scoreDocuments(documents, { ...layout, useAdapter: true });
      out(`with adapter: ${a.nll.toFixed(4)} nats/token`);
      return { base: b.nll, adapter: a.nll, tokens: b.tokens };
    } finally {
      session.dispose();
    }
  },
};

export const generate: Command = {
  name: 'generate',
  summary: 'sample a continuation of a prompt (up to the end-of-text token)',
  flags: [
    { ...base, required: true },
    adapter,
    { name: 'prompt', value: 'text', help: 'what to continue ("" starts a new document)', default: '' },
    { name: 'tokens', value: 'N', help: 'new tokens at most', default: SAMPLE_DEFAULTS.maxNewTokens },
    { name: 'temperature', value: 't', help: '0 is greedy', default: SAMPLE_DEFAULTS.temperature },
    { name: 'top-k', value: 'k', help: 'sample among the k likeliest (0: all)', default: SAMPLE_DEFAULTS.topK },
    { name: 'seed', value: 'N', help: 'seeds the sampler', default: D.seed },
    BACKEND_FLAG,
  ],
  notes: ['', ...FOLDERS],
  async run(args, out): Promise<string> {
    const prompt = args.str('prompt')!;
    const opts = {
      maxNewTokens: args.num('tokens', { integer: true, min: 0 })!,
      temperature: args.num('temperature', { min: 0 })!,
      topK: args.num('top-k', { integer: true, min: 0 })!,
      seed: args.num('seed', { integer: true })!,
    };
    const { session, adapter: name } = await openWithAdapter(args, out);
    try {
      const text = await session.generate(prompt, { ...opts, useAdapter: name !== null });
      out(text);
      return text;
    } finally {
      session.dispose();
    }
  },
};

export const COMMANDS: readonly Command[] = [params, train, score, generate];
