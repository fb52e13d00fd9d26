/** The CLI's commands, on the same engine as the app: params, train, score, generate. */
import { mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { countLora, describeModelText } from '../engine/paramCount';
import { buildTokenStream, TrainBatcher, validationBatches, scoredTokens } from '../engine/data/batcher';
import { splitTrainValidation } from '../engine/data/corpora';
import { parseDocuments, BASE_EXTRA_CHARS } from '../engine/data/tasks';
import { CharTokenizer } from '../engine/tokenizer/charTokenizer';
import { charTokenizerFromJson, charTokenizerJsonText } from '../engine/tokenizer/tokenizerJson';
import { encodePrompt } from '../engine/tokenizer/types';
import { gpt2ConfigJson, type Gpt2Config } from '../engine/gpt2/config';
import { Gpt2Model } from '../engine/gpt2/model';
import { loadGpt2 } from '../engine/gpt2/io';
import { generate } from '../engine/gpt2/generate';
import { Gpt2Trainer, type TrainMode } from '../engine/train/gpt2Trainer';
import { exportAdapter, exportHfModelFiles, importAdapter } from '../engine/peft';
import { UserFacingError, type TensorMap } from '../engine/types';
import type { AdapterWeights } from '../engine/lora/types';
import { Args, parseTargets } from './args';

type Out = (line: string) => void;

function read(path: string, what: string): Buffer {
  if (!existsSync(path)) throw new UserFacingError(`${what} not found: ${path}`);
  return readFileSync(path);
}

/** `params --config config.json --target c_attn[,…] --r 8`: PEFT's line from a config alone. */
export function params(args: Args, out: Out): void {
  const arch = describeModelText(read(args.required('config', 'a config.json'), 'config.json').toString('utf8'));
  const targets = parseTargets(args.str('target', arch.defaultTargets.join(',')));
  if (!Array.isArray(targets))
    throw new UserFacingError('params takes a comma-separated list of module names for --target');
  const r = args.num('r', 8, { integer: true, min: 1 });
  const alpha = args.num('alpha', r);
  args.done();
  const c = countLora(arch, targets, r);
  if (c.matched.length === 0)
    throw new UserFacingError(`--target ${targets.join(',')} matched no module of this ${arch.modelType} model`);
  out(c.peftLine);
  out(`(${c.matched.length} modules, r = ${r}, α = ${alpha}, scaling α/r = ${alpha / r})`);
}

interface Base {
  model: Gpt2Model;
  tokenizer: CharTokenizer;
  name: string;
}

/** A base folder written by `train --mode full`: config.json, model.safetensors, tokenizer.json. */
function loadBase(dir: string): Base {
  const config = read(join(dir, 'config.json'), 'config.json').toString('utf8');
  const model = loadGpt2(new Uint8Array(read(join(dir, 'model.safetensors'), 'model.safetensors')), config);
  const tokenizer = charTokenizerFromJson(read(join(dir, 'tokenizer.json'), 'tokenizer.json').toString('utf8'));
  if (tokenizer.vocabSize > model.config.vocab_size) {
    model.dispose();
    throw new UserFacingError(
      `tokenizer.json has ${tokenizer.vocabSize} tokens but the model's vocab_size is ${model.config.vocab_size}`,
    );
  }
  return { model, tokenizer, name: dir };
}

function loadAdapterInto(model: Gpt2Model, dir: string): AdapterWeights {
  const files = new Map<string, Uint8Array>();
  for (const f of readdirSync(dir)) files.set(f, new Uint8Array(readFileSync(join(dir, f))));
  const modules = new Map(model.adapters.modules.map((m) => [m.name, { dIn: m.dIn, dOut: m.dOut }]));
  const imported = importAdapter(files, { modules, modelType: 'gpt2' });
  model.adapters.import('adapter', imported.adapter);
  return imported.adapter;
}

/** `train --text file --out dir [--base dir] [--mode lora|full] …` */
export async function train(args: Args, out: Out): Promise<void> {
  const text = read(args.required('text', 'a text file, one document per line'), 'text file').toString('utf8');
  const outDir = args.required('out', 'the folder to write');
  const mode = args.str('mode', args.str('base') ? 'lora' : 'full') as TrainMode;
  if (mode !== 'lora' && mode !== 'full') throw new UserFacingError(`--mode must be lora or full, got "${mode}"`);
  const seed = args.num('seed', 0, { integer: true });
  const steps = args.num('steps', 300, { integer: true, min: 1 });
  const batch = args.num('batch', 16, { integer: true, min: 1 });
  const seq = args.num('seq', 64, { integer: true, min: 2 });
  const docs = parseDocuments(text);
  const split = splitTrainValidation(docs, { seed, validationFraction: 0.1 });
  const baseDir = args.str('base');
  let base: Base;
  if (baseDir) base = loadBase(baseDir);
  else {
    const tokenizer = CharTokenizer.fromCorpus(docs, BASE_EXTRA_CHARS);
    const C = args.num('embd', 64, { integer: true, min: 1 });
    const config: Gpt2Config = {
      vocab_size: tokenizer.vocabSize,
      n_positions: Math.max(seq, 128),
      n_embd: C,
      n_layer: args.num('layers', 2, { integer: true, min: 1 }),
      n_head: args.num('heads', 4, { integer: true, min: 1 }),
      n_inner: 4 * C,
      layer_norm_epsilon: 1e-5,
      activation_function: 'gelu_new',
    };
    if (C % config.n_head !== 0) throw new UserFacingError(`--embd ${C} must be divisible by --heads ${config.n_head}`);
    base = { model: Gpt2Model.random(config, seed), tokenizer, name: 'random-init' };
    if (mode === 'lora')
      out('note: no --base given: LoRA on a random base learns little; train a base with --mode full first');
  }
  const { model, tokenizer } = base;
  if (seq > model.config.n_positions)
    throw new UserFacingError(`--seq ${seq} exceeds the base's n_positions ${model.config.n_positions}`);
  if (mode === 'lora') {
    const r = args.num('r', 8, { integer: true, min: 1 });
    await model.adapters.add(
      'adapter',
      {
        r,
        lora_alpha: args.num('alpha', 2 * r),
        target_modules: parseTargets(args.str('target', 'c_attn,c_proj,c_fc')),
        lora_dropout: args.num('dropout', 0, { min: 0 }),
      },
      seed,
    );
  }
  const batcher = new TrainBatcher(buildTokenStream(split.train, tokenizer), {
    batch,
    seq,
    seed,
    alignToDocuments: true,
  });
  const val = validationBatches(buildTokenStream(split.validation, tokenizer), {
    batch,
    seq,
    alignToDocuments: true,
    maxBatches: 8,
  });
  const trainer = new Gpt2Trainer(model, {
    mode,
    learningRate: args.num('lr', mode === 'lora' ? 5e-3 : 2e-3, { min: 0 }),
    warmupSteps: Math.min(20, steps),
    totalSteps: steps,
    seed,
  });
  args.done();
  out(trainer.trainableParameters().line);
  out(`validation loss before: ${(await trainer.evaluate(val)).toFixed(4)} nats/token`);
  let last = 0;
  for (let s = 0; s < steps; s++) {
    const st = await trainer.step(batcher.batchAt(s));
    last = st.loss;
    if (st.stopped) throw new UserFacingError(st.stopped);
    if ((s + 1) % Math.max(1, Math.floor(steps / 10)) === 0) {
      out(
        `step ${st.step}: loss ${st.loss.toFixed(4)}, lr ${st.lr.toExponential(2)}, ${st.tokensPerSec.toFixed(0)} tok/s, |g| ${st.gradNorm.toFixed(3)}`,
      );
    }
  }
  const after = await trainer.evaluate(val);
  out(`validation loss after: ${after.toFixed(4)} nats/token`);
  mkdirSync(outDir, { recursive: true });
  if (mode === 'lora') {
    const files = exportAdapter((await trainer.snapshot()) as AdapterWeights, {
      baseModelName: base.name,
      taskType: 'CAUSAL_LM',
      steps,
      finalLoss: last,
    });
    for (const [name, data] of Object.entries(files)) writeFileSync(join(outDir, name), data);
  } else {
    const files = exportHfModelFiles(gpt2ConfigJson(model.config), (await trainer.snapshot()) as TensorMap);
    for (const [name, data] of Object.entries(files)) writeFileSync(join(outDir, name), data);
    writeFileSync(join(outDir, 'tokenizer.json'), charTokenizerJsonText(tokenizer));
  }
  out(`wrote ${outDir}`);
  trainer.dispose();
  model.dispose();
}

/** `score --base dir --text file [--adapter dir]`: mean NLL per token, with and without the adapter. */
export async function score(args: Args, out: Out): Promise<void> {
  const { model, tokenizer } = loadBase(args.required('base', 'a base folder'));
  const text = read(args.required('text', 'a text file'), 'text file').toString('utf8');
  const adapterDir = args.str('adapter');
  const seq = Math.min(args.num('seq', 64, { integer: true, min: 2 }), model.config.n_positions);
  args.done();
  const batches = validationBatches(buildTokenStream(parseDocuments(text), tokenizer), {
    batch: 8,
    seq,
    alignToDocuments: true,
  });
  const nll = async (useAdapter: boolean) => {
    let total = 0;
    for (const b of batches) total += (await model.loss(b, { useAdapter })) * b.mask.reduce((s, v) => s + v, 0);
    return total / scoredTokens(batches);
  };
  out(`base: ${(await nll(false)).toFixed(4)} nats/token over ${scoredTokens(batches)} tokens`);
  if (adapterDir) {
    loadAdapterInto(model, adapterDir);
    out(`with adapter: ${(await nll(true)).toFixed(4)} nats/token`);
  }
  model.dispose();
}

/** `generate --base dir [--adapter dir] [--prompt text] [--tokens 80] [--temperature 0.8] [--top-k 0] [--seed 0]` */
export async function generateCmd(args: Args, out: Out): Promise<void> {
  const { model, tokenizer } = loadBase(args.required('base', 'a base folder'));
  const adapterDir = args.str('adapter');
  if (adapterDir) loadAdapterInto(model, adapterDir);
  const prompt = args.str('prompt', '');
  const opts = {
    maxNewTokens: args.num('tokens', 80, { integer: true, min: 0 }),
    temperature: args.num('temperature', 0.8, { min: 0 }),
    topK: args.num('top-k', 0, { integer: true, min: 0 }),
    seed: args.num('seed', 0, { integer: true }),
    stopToken: tokenizer.endOfTextId,
  };
  args.done();
  const ids = await generate(model, encodePrompt(tokenizer, prompt), opts);
  out(prompt + tokenizer.decode(ids, { skipSpecialTokens: true }));
  model.dispose();
}
